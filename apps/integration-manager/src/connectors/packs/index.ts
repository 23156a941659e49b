import { hubspotPack } from './hubspot.pack';
import { jiraPack } from './jira.pack';
import type { PackDefinition } from './pack';
import { salesforcePack } from './salesforce.pack';
import { sapPack } from './sap.pack';
import { servicenowPack } from './servicenow.pack';
import { zendeskPack } from './zendesk.pack';

/** The enterprise packs: each a connector kind of its own, built on openapi. */
export const PACKS: readonly PackDefinition[] = [
  salesforcePack,
  servicenowPack,
  zendeskPack,
  hubspotPack,
  jiraPack,
  sapPack,
];
