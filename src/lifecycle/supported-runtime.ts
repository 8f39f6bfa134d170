/**
 * Imported first by the entry points, so that an unsupported Node.js is reported in one line
 * before anything else loads. Node 20 reached end of life on 30 April 2026; the image and CI run 24.
 */
const MINIMUM_MAJOR = 24;

const major = Number(process.versions.node.split('.')[0]);
if (major < MINIMUM_MAJOR) {
  console.error(`ticketing-api needs Node.js ${MINIMUM_MAJOR} or newer; this is Node.js ${process.versions.node}.`);
  process.exit(1);
}
