// Prints, as JSON, the exact signed HTTP requests the official AWS SDK for JavaScript v3 would send
// for a fixed list of operations, with fixed credentials, region and clock. Nothing is sent: a
// middleware after the signer records args.request and throws. The C# reference tests
// (ReferenceRequestTests) build the same operations with our clients and compare.
//
// SDK-specific headers (amz-sdk-invocation-id, amz-sdk-request, x-amz-user-agent, user-agent) are
// removed before signing: they carry random ids and versions, not protocol, and our clients do not
// send them. Everything else is what the SDK sends.
import { FisClient, StartExperimentCommand, GetExperimentCommand, StopExperimentCommand, ListExperimentsCommand, GetExperimentTemplateCommand, ListExperimentTemplatesCommand } from "@aws-sdk/client-fis";
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { SFNClient, StartExecutionCommand, StopExecutionCommand, DescribeExecutionCommand, ListExecutionsCommand } from "@aws-sdk/client-sfn";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";

// The same values are in ReferenceRequestTests.cs.
const FIXED_NOW = Date.UTC(2026, 10, 22, 0, 0, 0);
Date.now = () => FIXED_NOW;
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session-token" };
const config = { region: "us-east-1", credentials, endpoint: "http://127.0.0.1:1", maxAttempts: 1 };
const SDK_HEADERS = ["amz-sdk-invocation-id", "amz-sdk-request", "x-amz-user-agent", "user-agent"];
const ARN = "arn:aws:states:us-east-1:123456789012";

const cases = [
  ["fis.StartExperiment", FisClient, new StartExperimentCommand({ experimentTemplateId: "EXT123abc", clientToken: "run-1", tags: { "serverless-chaos:managed": "true", run: "r 1" } })],
  ["fis.GetExperiment", FisClient, new GetExperimentCommand({ id: "EXP1a2b" })],
  ["fis.StopExperiment", FisClient, new StopExperimentCommand({ id: "EXP1a2b" })],
  ["fis.ListExperiments", FisClient, new ListExperimentsCommand({ maxResults: 20, nextToken: "n/t=" })],
  ["fis.GetExperimentTemplate", FisClient, new GetExperimentTemplateCommand({ id: "EXT123abc" })],
  ["fis.ListExperimentTemplates", FisClient, new ListExperimentTemplatesCommand({ maxResults: 5, nextToken: "abc" })],
  ["cloudwatch.DescribeAlarms", CloudWatchClient, new DescribeAlarmsCommand({ AlarmNames: ["checkout-5xx", "checkout p99"], MaxRecords: 100, NextToken: "nt" })],
  ["cloudwatch.PutMetricData", CloudWatchClient, new PutMetricDataCommand({ Namespace: "ServerlessChaos", MetricData: [{ MetricName: "FaultsInjected", Value: 1.5, Unit: "Count", Timestamp: new Date(Date.UTC(2026, 10, 21, 23, 59, 0)), Dimensions: [{ Name: "Function", Value: "checkout" }] }] })],
  ["sfn.StartExecution", SFNClient, new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:chaos`, name: "run-1", input: "{\"experiment\":\"x\"}" })],
  ["sfn.StopExecution", SFNClient, new StopExecutionCommand({ executionArn: `${ARN}:execution:chaos:run-1`, error: "Halted", cause: "operator halt" })],
  ["sfn.DescribeExecution", SFNClient, new DescribeExecutionCommand({ executionArn: `${ARN}:execution:chaos:run-1` })],
  ["sfn.ListExecutions", SFNClient, new ListExecutionsCommand({ stateMachineArn: `${ARN}:stateMachine:chaos`, statusFilter: "RUNNING", maxResults: 10, nextToken: "nt" })],
];

function bodyText(body) {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return body;
  return Buffer.from(body).toString("utf8");
}

async function record(id, Client, command) {
  const client = new Client(config);
  client.middlewareStack.addRelativeTo((next) => async (args) => {
    for (const name of SDK_HEADERS) delete args.request.headers[name];
    return next(args);
  }, { relation: "before", toMiddleware: "httpSigningMiddleware", name: "dropSdkHeaders" });
  client.middlewareStack.addRelativeTo(() => async (args) => {
    throw Object.assign(new Error("recorded"), { recorded: args.request });
  }, { relation: "after", toMiddleware: "httpSigningMiddleware", name: "recordAndStop" });
  try {
    await client.send(command);
  } catch (e) {
    if (!e.recorded) throw new Error(`${id}: the SDK failed before signing: ${e.stack}`);
    const r = e.recorded;
    return { id, method: r.method, path: r.path, query: r.query ?? {}, headers: r.headers, body: bodyText(r.body) };
  }
  throw new Error(`${id}: the request was not recorded`);
}

const results = [];
for (const [id, Client, command] of cases) results.push(await record(id, Client, command));

// A presigned URL straight from the SDK's SigV4 signer.
const signer = new SignatureV4({ credentials, region: "us-east-1", service: "sts", sha256: Sha256 });
const presigned = await signer.presign(
  { method: "GET", protocol: "https:", hostname: "sts.us-east-1.amazonaws.com", path: "/", query: { Action: "GetCallerIdentity", Version: "2011-06-15" }, headers: { host: "sts.us-east-1.amazonaws.com" } },
  { signingDate: new Date(FIXED_NOW), expiresIn: 900 });
results.push({ id: "presign.sts", method: presigned.method, path: presigned.path, query: presigned.query, headers: presigned.headers, body: null });

// Header signing of an awkward request straight from the SDK's signer: dot segments, a space and
// an encoded slash in the path, unsorted query keys, and a header value with runs of spaces.
const signed = await new SignatureV4({ credentials, region: "eu-west-1", service: "fis", sha256: Sha256 }).sign(
  { method: "GET", protocol: "http:", hostname: "127.0.0.1", port: 1, path: "/exp/./a/../b%20c/%2F/", query: { b: "2", a: "1 2", "c~": "x*y" },
    headers: { host: "127.0.0.1:1", "x-custom": "  a   b  " } },
  { signingDate: new Date(FIXED_NOW) });
results.push({ id: "sign.awkward", method: signed.method, path: signed.path, query: signed.query, headers: signed.headers, body: null });

process.stdout.write(JSON.stringify(results));
