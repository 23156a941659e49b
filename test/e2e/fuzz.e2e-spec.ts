import { defineFuzzSuite } from './support/fuzz/fuzz-suite';

// The short form: a few hundred cases of each kind, a minute on a small machine.
// `npm run test:fuzz` runs thousands; BATON_FUZZ_SEED replays either.
defineFuzzSuite({ httpCases: 500, yamlCases: 120, kafkaMessages: 400, concurrency: 4 }, 600_000);
