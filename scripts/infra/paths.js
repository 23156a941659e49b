// @ts-check
'use strict';

// Every file the local infrastructure writes lives under the git-ignored .cache/ directory at the
// repository root, so `rm -rf .cache` is always a full reset.
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');
const cacheDir = path.join(repoRoot, '.cache');
const kafkaDir = path.join(cacheDir, 'kafka');
const postgresDir = path.join(cacheDir, 'postgres');

module.exports = {
  repoRoot,
  cacheDir,
  infraJson: path.join(cacheDir, 'infra.json'),
  lockFile: path.join(cacheDir, 'infra.lock'),
  kafka: {
    dir: kafkaDir,
    pom: path.join(repoRoot, 'scripts', 'kafka', 'pom.xml'),
    libs: path.join(kafkaDir, 'libs'),
    libsMarker: path.join(kafkaDir, 'libs', '.resolved.json'),
    data: path.join(kafkaDir, 'data'),
    logs: path.join(kafkaDir, 'logs'),
    serverProperties: path.join(kafkaDir, 'server.properties'),
    log4jProperties: path.join(kafkaDir, 'log4j.properties'),
    pidFile: path.join(kafkaDir, 'kafka.pid'),
    /** SCRAM passwords of the admin and the services (BATON_KAFKA_SECURITY=sasl), mode 0600. */
    credentials: path.join(kafkaDir, 'credentials.json'),
  },
  postgres: {
    dir: postgresDir,
    data: path.join(postgresDir, 'data'),
    log: path.join(postgresDir, 'postgres.log'),
    stateFile: path.join(postgresDir, 'embedded.json'),
  },
};
