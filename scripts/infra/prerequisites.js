// @ts-check
'use strict';

// Kafka is only started locally when no broker is configured or running, so Java and Maven are
// checked only then; other setups (KAFKA_BROKERS, a broker already up) need neither.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { InfraError } = require('./errors');

const MIN_JAVA = 17;
const INSTALL_HINT =
  'install them (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless maven`, macOS: ' +
  '`brew install openjdk@17 maven`) or set KAFKA_BROKERS to an existing broker';

/** JAVA_HOME wins over PATH, as it does for Maven, so both use the same JVM. */
function javaCommand() {
  const home = process.env.JAVA_HOME;
  const candidate =
    home && path.join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
  return candidate && fs.existsSync(candidate) ? candidate : 'java';
}

/**
 * Major version from `java -version` output: `"17.0.15"` -> 17, legacy `"1.8.0_402"` -> 8.
 * @param {string} output
 */
function parseJavaMajor(output) {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

/** @returns {{ java: string, mvn: string }} */
function checkKafkaPrerequisites() {
  const java = javaCommand();
  const missing = [];

  const javaRun = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (javaRun.error || javaRun.status !== 0) {
    missing.push(`java ${MIN_JAVA}+ (not found)`);
  } else {
    const major = parseJavaMajor(`${javaRun.stderr}${javaRun.stdout}`);
    if (!major || major < MIN_JAVA) missing.push(`java ${MIN_JAVA}+ (found ${major ?? 'unknown'})`);
  }

  const mvn = process.platform === 'win32' ? 'mvn.cmd' : 'mvn';
  const mvnRun = spawnSync(mvn, ['-v'], { encoding: 'utf8' });
  if (mvnRun.error || mvnRun.status !== 0) missing.push('mvn (Maven, not found)');

  if (missing.length > 0) {
    throw new InfraError(`a local Kafka needs ${missing.join(' and ')}: ${INSTALL_HINT}`);
  }
  return { java, mvn };
}

module.exports = { checkKafkaPrerequisites, parseJavaMajor, javaCommand };
