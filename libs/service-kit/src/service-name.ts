/** The provider token of the running service's name ('workflow-engine'...). */
export const SERVICE_NAME = Symbol.for('baton.service-name');
