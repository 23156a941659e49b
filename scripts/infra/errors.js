// @ts-check
'use strict';

const fs = require('node:fs');

/**
 * An expected failure: the CLI prints `details` (usually a log tail) and then `message` as the
 * single error line, without a stack trace.
 */
class InfraError extends Error {
  /**
   * @param {string} message one line saying what is wrong and what to do about it
   * @param {string} [details] supporting output, e.g. the tail of a log file
   */
  constructor(message, details) {
    super(message);
    this.name = 'InfraError';
    this.details = details;
  }
}

/**
 * Last lines of a log file, for error details; never throws because it runs on failure paths.
 * @param {string} file
 * @param {number} [lines]
 */
function tailFile(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd();
    const tail = text.split('\n').slice(-lines).join('\n');
    return `--- last ${lines} lines of ${file} ---\n${tail}\n---`;
  } catch {
    return `(no log at ${file})`;
  }
}

module.exports = { InfraError, tailFile };
