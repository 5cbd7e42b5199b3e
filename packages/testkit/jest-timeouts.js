// Jest ignores `testTimeout` inside `projects`; integration and e2e suites start real processes and
// databases, so those projects set their timeout through this setup file (see jest.config.js).
'use strict';
/* global jest */
const seconds = Number(process.env.CAMPUS_TEST_TIMEOUT_SECONDS ?? '120');
jest.setTimeout(seconds * 1000);
