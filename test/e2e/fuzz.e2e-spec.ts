import { defineFuzzSuite } from './support/fuzz/fuzz-suite';

// The short form: a few hundred cases of each kind, a minute on a small machine.
// `npm run test:fuzz` runs thousands; BATON_FUZZ_SEED replays either.
defineFuzzSuite({ httpCases: 240, yamlCases: 60, kafkaMessages: 200, concurrency: 4 }, 600_000);
