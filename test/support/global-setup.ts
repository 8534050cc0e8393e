import { javaProblem } from '../../infra/local/java';

/** Stops the test run at once, with how to fix it, when DynamoDB Local cannot run. */
export default function checkPrerequisites(): void {
  const problem = javaProblem();
  if (problem) {
    throw new Error(`${problem}\nThe integration and end-to-end tests run DynamoDB Local and cannot start without it.`);
  }
}
