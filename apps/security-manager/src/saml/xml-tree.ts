import { parseStringPromise, processors } from 'xml2js';

/**
 * An XML element as xml2js gives it, namespace prefixes stripped (as node-saml
 * reads assertions): attributes in `$`, text in `_`, children by local name.
 */
export interface XmlElement {
  $?: Record<string, string>;
  _?: string;
  [child: string]: XmlElement[] | Record<string, string> | string | undefined;
}

/** The root element and its local name, or undefined for text that is not a plain XML document. */
export async function parseXmlTree(
  xml: string,
): Promise<{ name: string; element: XmlElement } | undefined> {
  // No DTDs at all: SAML and its metadata never need one, and entity tricks start there.
  if (/<!DOCTYPE/i.test(xml)) return undefined;
  try {
    const document = (await parseStringPromise(xml, {
      explicitArray: true,
      explicitCharkey: true,
      tagNameProcessors: [processors.stripPrefix],
    })) as Record<string, XmlElement> | null;
    const [name] = Object.keys(document ?? {});
    if (!document || !name) return undefined;
    return { name, element: document[name] };
  } catch {
    return undefined;
  }
}

export function childrenOf(element: XmlElement | undefined, name: string): XmlElement[] {
  const children = element?.[name];
  return Array.isArray(children) ? children : [];
}

export function attributeOf(element: XmlElement | undefined, name: string): string | undefined {
  const value = element?.$?.[name];
  return typeof value === 'string' ? value : undefined;
}

export function textOf(element: XmlElement | undefined): string {
  return typeof element?._ === 'string' ? element._ : '';
}
