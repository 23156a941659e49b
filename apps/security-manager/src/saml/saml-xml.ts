import { attributeOf, childrenOf, parseXmlTree } from './xml-tree';

/** What the ACS reads before validation: only to refuse early, never to trust. */
export interface ResponseOutline {
  destination?: string;
  /** The id of a plain (not encrypted) assertion, if there is exactly one. */
  assertionId?: string;
}

export async function outlineResponse(xml: string): Promise<ResponseOutline | undefined> {
  const root = await parseXmlTree(xml);
  if (!root || root.name !== 'Response') return undefined;
  const assertions = childrenOf(root.element, 'Assertion');
  return {
    destination: attributeOf(root.element, 'Destination'),
    assertionId: assertions.length === 1 ? attributeOf(assertions[0], 'ID') : undefined,
  };
}

/** What the ACS reads from the assertion node-saml verified. */
export interface AssertionFacts {
  id: string;
  recipients: string[];
  notOnOrAfter?: Date;
  sessionNotOnOrAfter?: Date;
}

const dateOf = (text: string | undefined): Date | undefined => {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

export async function assertionFacts(assertionXml: string): Promise<AssertionFacts | undefined> {
  const root = await parseXmlTree(assertionXml);
  if (!root || root.name !== 'Assertion') return undefined;
  const id = attributeOf(root.element, 'ID');
  if (!id) return undefined;
  const recipients = childrenOf(root.element, 'Subject')
    .flatMap((subject) => childrenOf(subject, 'SubjectConfirmation'))
    .flatMap((confirmation) => childrenOf(confirmation, 'SubjectConfirmationData'))
    .map((data) => attributeOf(data, 'Recipient'))
    .filter((recipient): recipient is string => recipient !== undefined);
  const conditions = childrenOf(root.element, 'Conditions')[0];
  const authn = childrenOf(root.element, 'AuthnStatement')[0];
  return {
    id,
    recipients,
    notOnOrAfter: dateOf(attributeOf(conditions, 'NotOnOrAfter')),
    sessionNotOnOrAfter: dateOf(attributeOf(authn, 'SessionNotOnOrAfter')),
  };
}
