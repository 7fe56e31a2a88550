using System.Text;
using System.Text.Json;
using Amazon.Lambda.Core;
using Amazon.Lambda.DynamoDBEvents;
using Amazon.Lambda.KinesisEvents;
using Amazon.Lambda.SQSEvents;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Faults;

public class EventSourceFaultTests
{
    private static SQSEvent Sqs(int count) =>
        new() { Records = [.. Enumerable.Range(1, count).Select(i => new SQSEvent.SQSMessage { MessageId = $"m{i}", Body = $"order-{i}" })] };

    private static KinesisEvent Kinesis(int count) =>
        new() { Records = [.. Enumerable.Range(1, count).Select(i => new KinesisEvent.KinesisEventRecord { Kinesis = new() { SequenceNumber = $"4959{i}" } })] };

    private static Func<SQSEvent, ILambdaContext, Task<SQSBatchResponse>> Consumer(List<string> seen, params string[] ownFailures) => (batch, _) =>
    {
        seen.AddRange(batch.Records.Select(r => r.MessageId));
        return Task.FromResult(new SQSBatchResponse([.. ownFailures.Select(id => new SQSBatchResponse.BatchItemFailure { ItemIdentifier = id })]));
    };

    private static IEnumerable<string> Records(JsonElement line) =>
        line.GetProperty("details").GetProperty("records").EnumerateArray().Select(r => r.GetString()!);

    private static MemoryStream Json(string text) => new(Encoding.UTF8.GetBytes(text));

    private static JsonElement Read(Stream stream)
    {
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Delayed_sqs_messages_are_kept_from_the_handler_and_reported_as_failures_next_to_its_own()
    {
        // Rate roll, then one pick per held-back message: positions 0 and 1.
        var harness = new Harness(Documents.Armed("""{"type":"delayRecords","rate":1,"share":0.5,"reportBatchItemFailures":true}"""), new Sequence(0.1, 0.0, 0.0).Next);
        var seen = new List<string>();

        var response = await harness.Wrapper.InvokeAsync(Sqs(4), harness.Context(), Consumer(seen, "m4"));

        seen.ShouldBe(["m3", "m4"]);
        response.BatchItemFailures.Select(f => f.ItemIdentifier).ShouldBe(["m4", "m1", "m2"]);
        var line = harness.FaultLines.Single();
        (line.GetProperty("fault").GetString(), line.GetProperty("details").GetProperty("source").GetString()).ShouldBe(("delayRecords", "sqs"));
        Records(line).ShouldBe(["m1", "m2"]);
        harness.MetricLines.Single().GetProperty("FaultType").GetString().ShouldBe("delayRecords");
    }

    [Fact]
    public async Task Held_back_sqs_messages_are_chosen_by_the_injected_randomizer()
    {
        // Rate roll, then picks 0.99 and 0.99: the last message, then the last of the rest.
        var harness = new Harness(Documents.Armed("""{"type":"delayRecords","rate":1,"share":0.5,"reportBatchItemFailures":true}"""), new Sequence(0.1, 0.99, 0.99).Next);
        var seen = new List<string>();

        await harness.Wrapper.InvokeAsync(Sqs(4), harness.Context(), Consumer(seen));

        seen.ShouldBe(["m2", "m3"]);
    }

    [Fact]
    public async Task When_every_record_is_held_back_the_handler_does_not_run_and_all_are_reported()
    {
        var harness = new Harness(Documents.Armed("""{"type":"delayRecords","rate":1,"share":1,"reportBatchItemFailures":true}"""), Sequence.Always(0));
        var seen = new List<string>();

        var response = await harness.Wrapper.InvokeAsync(Sqs(2), harness.Context(), Consumer(seen));

        seen.ShouldBeEmpty();
        response.BatchItemFailures.Select(f => f.ItemIdentifier).Order().ShouldBe(["m1", "m2"]);
    }

    [Fact]
    public async Task A_handler_without_a_batch_response_gets_every_record_because_a_held_back_one_could_not_be_reported()
    {
        var harness = new Harness(Documents.Armed("""{"type":"delayRecords","rate":1,"reportBatchItemFailures":true}"""), Sequence.Always(0));
        var seen = new List<string>();

        await harness.Wrapper.InvokeAsync<SQSEvent, ILambdaContext>(Sqs(3), harness.Context(), (batch, _) =>
        {
            seen.AddRange(batch.Records.Select(r => r.MessageId));
            return Task.CompletedTask;
        });

        seen.ShouldBe(["m1", "m2", "m3"]);
        harness.FaultLines.ShouldBeEmpty();
        harness.ProblemLines.Single().GetProperty("message").GetString()!.ShouldContain("delayRecords fault needs a handler result that carries batchItemFailures");
    }

    [Fact]
    public async Task Kinesis_holds_back_the_last_records_because_lambda_retries_from_the_earliest_reported_sequence_number()
    {
        // The randomizer would pick the first records; streams still hold back the tail.
        var harness = new Harness(Documents.Armed("""{"type":"delayRecords","rate":1,"share":0.5,"reportBatchItemFailures":true}"""), Sequence.Always(0));
        var seen = new List<string>();

        var response = await harness.Wrapper.InvokeAsync(Kinesis(4), harness.Context(), (batch, _) =>
        {
            seen.AddRange(batch.Records.Select(r => r.Kinesis.SequenceNumber));
            return Task.FromResult(new StreamsEventResponse());
        });

        seen.ShouldBe(["49591", "49592"]);
        response.BatchItemFailures.Select(f => f.ItemIdentifier).ShouldBe(["49593", "49594"]);
        harness.FaultLines.Single().GetProperty("details").GetProperty("source").GetString().ShouldBe("kinesis");
    }

    [Fact]
    public async Task A_duplicated_message_reaches_the_handler_twice_and_a_non_idempotent_consumer_charges_twice()
    {
        // Rate roll, then the pick 0.5 of four: the third message.
        var harness = new Harness(Documents.Armed("""{"type":"duplicateRecords","rate":1,"share":0.25}"""), new Sequence(0.1, 0.5).Next);
        var charges = new Dictionary<string, int>();

        var response = await harness.Wrapper.InvokeAsync(Sqs(4), harness.Context(), (batch, _) =>
        {
            foreach (var message in batch.Records)
            {
                charges[message.Body] = charges.GetValueOrDefault(message.Body) + 1;
            }

            return Task.FromResult(new SQSBatchResponse());
        });

        charges.ShouldBe(new Dictionary<string, int> { ["order-1"] = 1, ["order-2"] = 1, ["order-3"] = 2, ["order-4"] = 1 });
        response.BatchItemFailures.ShouldBeEmpty();
        var line = harness.FaultLines.Single();
        line.GetProperty("details").GetProperty("mode").GetString().ShouldBe("records");
        Records(line).ShouldBe(["m3"]);
    }

    [Fact]
    public async Task A_batch_handed_over_twice_runs_the_handler_twice_and_keeps_the_failures_of_both_runs()
    {
        var harness = new Harness(Documents.Armed("""{"type":"duplicateRecords","rate":1,"mode":"batch"}"""));
        var runs = new List<List<string>>();

        var response = await harness.Wrapper.InvokeAsync(Sqs(3), harness.Context(), (batch, _) =>
        {
            runs.Add([.. batch.Records.Select(r => r.MessageId)]);
            return Task.FromResult(new SQSBatchResponse([new SQSBatchResponse.BatchItemFailure { ItemIdentifier = runs.Count == 1 ? "m1" : "m2" }]));
        });

        runs.ShouldBe([["m1", "m2", "m3"], ["m1", "m2", "m3"]]);
        response.BatchItemFailures.Select(f => f.ItemIdentifier).Order().ShouldBe(["m1", "m2"]);
        Records(harness.FaultLines.Single()).ShouldBe(["m1", "m2", "m3"]);
    }

    [Fact]
    public async Task Reversed_dynamodb_stream_records_let_an_update_overtake_the_insert_it_depends_on()
    {
        var harness = new Harness(Documents.Armed("""{"type":"reorderRecords","rate":1,"order":"reverse"}"""));
        var batch = new DynamoDBEvent
        {
            Records =
            [
                new DynamoDBEvent.DynamodbStreamRecord { EventName = "INSERT", Dynamodb = new() { SequenceNumber = "100" } },
                new DynamoDBEvent.DynamodbStreamRecord { EventName = "MODIFY", Dynamodb = new() { SequenceNumber = "200" } },
            ],
        };
        var table = new HashSet<string>();
        var lostUpdates = 0;

        await harness.Wrapper.InvokeAsync<DynamoDBEvent, ILambdaContext>(batch, harness.Context(), (e, _) =>
        {
            foreach (var record in e.Records)
            {
                if (record.EventName == "INSERT")
                {
                    table.Add("order-1");
                }
                else if (!table.Contains("order-1"))
                {
                    lostUpdates++;
                }
            }

            return Task.CompletedTask;
        });

        lostUpdates.ShouldBe(1);
        var line = harness.FaultLines.Single();
        (line.GetProperty("details").GetProperty("source").GetString(), line.GetProperty("details").GetProperty("order").GetString()).ShouldBe(("dynamodb-streams", "reverse"));
        Records(line).ShouldBe(["200", "100"]);
    }

    [Fact]
    public async Task A_shuffle_follows_the_injected_randomizer()
    {
        var harness = new Harness(Documents.Armed("""{"type":"reorderRecords","rate":1}"""), Sequence.Always(0.99));
        var seen = new List<string>();

        await harness.Wrapper.InvokeAsync(Sqs(4), harness.Context(), Consumer(seen));

        seen.ShouldBe(["m4", "m1", "m2", "m3"]);
    }

    [Fact]
    public async Task Delay_duplicate_and_reorder_compose_hold_back_first_then_repeat_then_reorder()
    {
        // Rolls for the three faults, then the delay's pick (first message), then the duplicate's pick (first of the rest).
        var harness = new Harness(Documents.Armed(
            """{"type":"delayRecords","rate":1,"share":0.25,"reportBatchItemFailures":true}""",
            """{"type":"duplicateRecords","rate":1,"share":0.1}""",
            """{"type":"reorderRecords","rate":1,"order":"reverse"}"""), new Sequence(0.1, 0.1, 0.1, 0.0, 0.0).Next);
        var seen = new List<string>();

        var response = await harness.Wrapper.InvokeAsync(Sqs(4), harness.Context(), Consumer(seen));

        seen.ShouldBe(["m2", "m4", "m3", "m2"]);
        response.BatchItemFailures.Select(f => f.ItemIdentifier).ShouldBe(["m1"]);
        harness.FaultLines.Select(l => l.GetProperty("fault").GetString()).ShouldBe(["delayRecords", "duplicateRecords", "reorderRecords"]);
    }

    [Fact]
    public async Task Match_conditions_pick_the_batches_a_fault_touches()
    {
        var harness = new Harness(Documents.Armed("""{"type":"reorderRecords","rate":1,"order":"reverse","match":{"path":"Records.0.body","op":"startsWith","value":"priority"}}"""));
        var plain = new List<string>();
        var priority = new List<string>();
        var urgent = Sqs(2);
        urgent.Records[0].Body = "priority-order";

        await harness.Wrapper.InvokeAsync(Sqs(2), harness.Context(), Consumer(plain));
        await harness.Wrapper.InvokeAsync(urgent, harness.Context(), Consumer(priority));

        plain.ShouldBe(["m1", "m2"]);
        priority.ShouldBe(["m2", "m1"]);
    }

    [Fact]
    public async Task Events_that_are_not_batches_and_one_record_batches_that_cannot_be_reordered_are_left_alone()
    {
        var harness = new Harness(Documents.Armed("""{"type":"reorderRecords","rate":1}""", """{"type":"duplicateRecords","rate":0,"mode":"batch"}"""));
        var seen = new List<string>();
        var runs = 0;

        await harness.Wrapper.InvokeAsync(Sqs(1), harness.Context(), Consumer(seen));
        await harness.Wrapper.InvokeAsync<Amazon.Lambda.APIGatewayEvents.APIGatewayHttpApiV2ProxyRequest, ILambdaContext>(new(), harness.Context(), (_, _) =>
        {
            runs++;
            return Task.CompletedTask;
        });

        (seen.Single(), runs).ShouldBe(("m1", 1));
        harness.FaultLines.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_stream_handler_gets_the_sqs_json_with_the_duplicate_and_its_result_stays_a_valid_batch_response()
    {
        var harness = new Harness(Documents.Armed(
            """{"type":"duplicateRecords","rate":1,"share":0.5}""",
            """{"type":"delayRecords","rate":1,"share":0.5,"reportBatchItemFailures":true}"""), new Sequence(0.1, 0.1, 0.0, 0.0).Next);
        const string batch = """{"Records":[{"messageId":"a","body":"1","eventSource":"aws:sqs"},{"messageId":"b","body":"2","eventSource":"aws:sqs"}]}""";
        string? seen = null;

        var output = Read(await harness.Wrapper.InvokeStreamAsync(Json(batch), harness.Context(), async (input, _) =>
        {
            using var reader = new StreamReader(input);
            seen = await reader.ReadToEndAsync();
            return Json("""{"batchItemFailures":[]}""");
        }));

        // "a" is held back, then the only message left, "b", is repeated.
        JsonDocument.Parse(seen!).RootElement.GetProperty("Records").EnumerateArray().Select(r => r.GetProperty("messageId").GetString()).ShouldBe(["b", "b"]);
        JsonDocument.Parse(seen!).RootElement.GetProperty("Records")[0].GetProperty("eventSource").GetString().ShouldBe("aws:sqs");
        output.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()).ShouldBe(["a"]);
    }

    [Fact]
    public async Task A_stream_handler_given_the_batch_twice_reads_a_whole_copy_each_time()
    {
        var harness = new Harness(Documents.Armed("""{"type":"duplicateRecords","rate":1,"mode":"batch"}"""));
        const string batch = """{"Records":[{"kinesis":{"sequenceNumber":"1","data":"e30="}},{"kinesis":{"sequenceNumber":"2","data":"e30="}}]}""";
        var seen = new List<string>();

        var output = Read(await harness.Wrapper.InvokeStreamAsync(Json(batch), harness.Context(), async (input, _) =>
        {
            using var reader = new StreamReader(input);
            seen.Add(await reader.ReadToEndAsync());
            return Json(seen.Count == 1 ? """{"batchItemFailures":[{"itemIdentifier":"2"}]}""" : "{}");
        }));

        seen.ShouldBe([batch, batch]);
        output.GetProperty("batchItemFailures").EnumerateArray().Single().GetProperty("itemIdentifier").GetString().ShouldBe("2");
    }

    [Fact]
    public async Task A_stream_handler_on_a_fifo_queue_gets_the_head_of_the_batch_and_the_tail_is_reported()
    {
        var harness = new Harness(Documents.Armed("""{"type":"delayRecords","rate":1,"share":0.3,"reportBatchItemFailures":true}"""), Sequence.Always(0));
        const string arn = "arn:aws:sqs:eu-west-1:123456789012:orders.fifo";
        var batch = $$"""{"Records":[{"messageId":"1","eventSourceARN":"{{arn}}"},{"messageId":"2","eventSourceARN":"{{arn}}"},{"messageId":"3","eventSourceARN":"{{arn}}"}]}""";
        string? seen = null;

        var output = Read(await harness.Wrapper.InvokeStreamAsync(Json(batch), harness.Context(), async (input, _) =>
        {
            using var reader = new StreamReader(input);
            seen = await reader.ReadToEndAsync();
            return new MemoryStream();
        }));

        JsonDocument.Parse(seen!).RootElement.GetProperty("Records").EnumerateArray().Select(r => r.GetProperty("messageId").GetString()).ShouldBe(["1", "2"]);
        output.GetProperty("batchItemFailures").EnumerateArray().Single().GetProperty("itemIdentifier").GetString().ShouldBe("3");
        harness.FaultLines.Single().GetProperty("details").GetProperty("source").GetString().ShouldBe("sqs-fifo");
    }

    [Fact]
    public async Task A_stream_handler_with_a_dynamodb_batch_sees_it_reordered()
    {
        var harness = new Harness(Documents.Armed("""{"type":"reorderRecords","rate":1,"order":"reverse"}"""));
        const string batch = """{"Records":[{"eventName":"INSERT","dynamodb":{"SequenceNumber":"100"}},{"eventName":"MODIFY","dynamodb":{"SequenceNumber":"200"}}]}""";
        string? seen = null;

        await harness.Wrapper.InvokeStreamAsync(Json(batch), harness.Context(), async (input, _) =>
        {
            using var reader = new StreamReader(input);
            seen = await reader.ReadToEndAsync();
            return new MemoryStream();
        });

        JsonDocument.Parse(seen!).RootElement.GetProperty("Records").EnumerateArray().Select(r => r.GetProperty("eventName").GetString()).ShouldBe(["MODIFY", "INSERT"]);
    }
}
