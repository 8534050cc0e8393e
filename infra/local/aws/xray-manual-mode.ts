/**
 * Imported first by the local runtime, for this side effect alone. There is no X-Ray here,
 * and Powertools' Tracer turns itself off outside Lambda; but the X-Ray SDK it loads tracks
 * every promise's context through a continuation-local-storage async hook, unless it is in
 * manual mode before it loads. That tracking cost the local stack about a sixth of its CPU.
 * In AWS the variable is never set: tracing there is on.
 */
process.env.AWS_XRAY_MANUAL_MODE = 'true';
