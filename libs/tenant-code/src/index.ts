export * from './budgets';
export * from './budget-exceeded.error';
export * from './linear-regex';
export * from './bounded-jsonata';
export * from './value-size';
export * from './json-shape';
