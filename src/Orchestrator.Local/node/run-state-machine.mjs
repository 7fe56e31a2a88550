// Runs executions of one ASL definition with aws-local-stepfunctions, one per request line on stdin.
// Usage: node --import ./promise-with-resolvers.mjs run-state-machine.mjs <definition.json> '<substitutions JSON>' <stateMachineArn>
// Request line:  {"id","name","input","waitMilliseconds"?,"retryMilliseconds"?}
// Response line: {"id","status":"SUCCEEDED"|"FAILED"|"ERROR","output"?,"error"?,"cause"?,"events":[{"type","state"}]}
// Lambda Task states call the Lambda Invoke API at AWS_ENDPOINT_URL_LAMBDA (the local endpoint).
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { StateMachine } from 'aws-local-stepfunctions';

const [definitionFile, substitutionsJson, stateMachineArn] = process.argv.slice(2);
const substitutions = JSON.parse(substitutionsJson);
const text = readFileSync(definitionFile, 'utf8').replace(/\$\{(\w+)\}/g, (placeholder, name) => {
  if (!(name in substitutions)) throw new Error(`no substitution for ${placeholder}`);
  return substitutions[name];
});
const definition = JSON.parse(text);
const machine = new StateMachine(definition);
const states = Object.entries(definition.States);
const waitStates = states.filter(([, s]) => s.Type === 'Wait').map(([name]) => name);
const retryStates = states.filter(([, s]) => Array.isArray(s.Retry)).map(([name]) => name);
const executionPrefix = stateMachineArn.replace(':stateMachine:', ':execution:');

const write = (message) => process.stdout.write(JSON.stringify(message) + '\n');

async function run(request) {
  const overrides = {};
  if (request.waitMilliseconds != null) {
    overrides.waitTimeOverrides = Object.fromEntries(waitStates.map((name) => [name, request.waitMilliseconds]));
  }
  if (request.retryMilliseconds != null) {
    overrides.retryIntervalOverrides = Object.fromEntries(retryStates.map((name) => [name, request.retryMilliseconds]));
  }
  const context = {
    Execution: { Id: `${executionPrefix}:${request.name}`, Name: request.name, Input: request.input, StartTime: new Date().toISOString() },
    StateMachine: { Id: stateMachineArn, Name: stateMachineArn.split(':').pop() },
  };
  const execution = machine.run(request.input, { overrides, context });
  const events = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.state) events.push({ type: event.type, state: event.state.name });
      else events.push({ type: event.type });
    }
  })();
  try {
    const output = await execution.result;
    await collecting.catch(() => {});
    write({ id: request.id, status: 'SUCCEEDED', output, events });
  } catch (error) {
    await collecting.catch(() => {});
    // ExecutionError wraps what failed the execution (a Fail state's Error and Cause, or a task error).
    const failure = error.cause ?? error;
    write({ id: request.id, status: 'FAILED', error: failure.name, cause: failure.message, events });
  }
}

// The .NET host owns this process: a Ctrl-C or SIGTERM to the whole group must not end it mid-execution (the host
// stops it after its own rollback), and when the host's end of stdin closes, for any reason, it ends at once.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
const requests = createInterface({ input: process.stdin });
requests.on('close', () => process.exit(0));
requests.on('line', (line) => {
  if (!line.trim()) return;
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    write({ id: null, status: 'ERROR', error: 'BadRequest', cause: String(error) });
    return;
  }
  run(request).catch((error) => write({ id: request.id, status: 'ERROR', error: error.name, cause: String(error.stack ?? error) }));
});
write({ ready: true });
