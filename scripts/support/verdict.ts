/** Prints each check as PASS/FAIL and sets a failing exit code if any failed. */
export function verdict(checks: [boolean, string][]): void {
  for (const [ok, description] of checks) console.log(`${ok ? 'PASS' : 'FAIL'} ${description}`);
  if (checks.some(([ok]) => !ok)) process.exitCode = 1;
}
