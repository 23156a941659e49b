// @ts-check
'use strict';

// Apache Kafka is not on npm and there is no Docker here, so the broker's classpath comes from
// Maven Central. Maven does the transitive resolution that a hand-made jar list would get wrong.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const paths = require('./paths');
const { InfraError, tailFile } = require('./errors');

/** Newest first; older ones are fallbacks in case a release is missing from the mirror. */
const KAFKA_VERSIONS = ['3.9.1', '3.9.0'];

function pomHash() {
  return crypto.createHash('sha256').update(fs.readFileSync(paths.kafka.pom)).digest('hex');
}

/** @returns {{ kafkaVersion: string, pomHash: string } | undefined} */
function readMarker() {
  try {
    return JSON.parse(fs.readFileSync(paths.kafka.libsMarker, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Version of the jars already in .cache/kafka/libs, if a complete resolution is there. */
function resolvedKafkaVersion() {
  const marker = readMarker();
  return marker && marker.pomHash === pomHash() ? marker.kafkaVersion : undefined;
}

/**
 * @param {string} mvn
 * @param {string[]} args
 * @param {string} logFile
 * @returns {Promise<number>} exit code
 */
function runMaven(mvn, args, logFile) {
  return new Promise((resolve, reject) => {
    const fd = fs.openSync(logFile, 'a');
    fs.writeSync(fd, `\n$ ${mvn} ${args.join(' ')}\n`);
    const child = spawn(mvn, args, { cwd: paths.repoRoot, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/**
 * Makes sure .cache/kafka/libs holds a complete Kafka runtime classpath. Resolves into a scratch
 * directory and renames it into place, so an interrupted download is never mistaken for a
 * complete one; the marker also records the pom so editing it triggers a new resolution.
 * @param {{ mvn: string, log: (msg: string) => void }} opts
 * @returns {Promise<string>} the Kafka version on the classpath
 */
async function ensureKafkaJars({ mvn, log }) {
  const ready = resolvedKafkaVersion();
  if (ready) return ready;

  fs.mkdirSync(paths.kafka.logs, { recursive: true });
  const logFile = path.join(paths.kafka.logs, 'maven.log');
  const scratch = `${paths.kafka.libs}.tmp-${process.pid}`;
  const started = Date.now();
  fs.writeFileSync(logFile, ''); // only this attempt's output, so the tail on failure is relevant

  for (const version of KAFKA_VERSIONS) {
    log(
      `kafka: resolving org.apache.kafka:kafka_2.13:${version} from Maven Central (log: ${logFile})`,
    );
    fs.rmSync(scratch, { recursive: true, force: true });
    const code = await runMaven(
      mvn,
      [
        '-B',
        '--no-transfer-progress',
        '-Dstyle.color=never',
        '-f',
        paths.kafka.pom,
        `-Dkafka.version=${version}`,
        'dependency:copy-dependencies',
        `-DoutputDirectory=${scratch}`,
        '-DincludeScope=runtime',
      ],
      logFile,
    );
    if (code !== 0) {
      log(`kafka: Maven could not resolve Kafka ${version} (exit ${code})`);
      continue;
    }
    fs.writeFileSync(
      path.join(scratch, path.basename(paths.kafka.libsMarker)),
      `${JSON.stringify({ kafkaVersion: version, pomHash: pomHash() }, null, 2)}\n`,
    );
    fs.rmSync(paths.kafka.libs, { recursive: true, force: true });
    fs.renameSync(scratch, paths.kafka.libs);
    log(`kafka: Kafka ${version} jars ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return version;
  }

  fs.rmSync(scratch, { recursive: true, force: true });
  throw new InfraError(
    `Maven could not resolve Kafka ${KAFKA_VERSIONS.join(' or ')} (see ${logFile})`,
    tailFile(logFile, 30),
  );
}

module.exports = { ensureKafkaJars, resolvedKafkaVersion, KAFKA_VERSIONS };
