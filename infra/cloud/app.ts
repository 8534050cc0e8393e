import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AftercareStack } from './aftercare-stack';

/** The CDK app: `npx cdk synth` works offline, without credentials (the stack is environment-agnostic). */
const app = new App();
new AftercareStack(app, 'Aftercare', { description: 'Aftercare: marketplace complaint and after-sales workflows' });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
