/** Workflow, step, agent and sub-workflow names, as the rest of Baton names things. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const NAME_RULE =
  'lowercase letters, digits and dashes, at most 63, not starting with a dash';
