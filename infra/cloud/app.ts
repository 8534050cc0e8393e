import { createApp } from './create-app';

/** Entry point of `cdk synth` / `cdk deploy` (cdk.json runs it with tsx). */
createApp().app.synth();
