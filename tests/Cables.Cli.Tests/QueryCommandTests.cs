using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Cables.Cli.Tests;

public sealed class QueryCommandTests
{
    private readonly FakeCablesClient _service = new();

    public QueryCommandTests()
    {
        // Three cables as the service would return them, taken from truth.jsonl.
        foreach (var id in new[] { "03ANKARA3694", "04CAIRO8456", "05SANJOSE2727" })
        {
            var truth = Truth.All[id];
            var cable = new V1.Cable
            {
                ReferenceId = truth.ReferenceId,
                Created = Timestamp.FromDateTime(DateTime.SpecifyKind(DateTime.Parse(truth.Created, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc)),
                Origin = truth.Origin,
                Classification = new V1.Classification { Label = truth.Classification, Level = V1.ClassificationLevel.Secret },
                Subject = truth.Subject!,
            };
            cable.Tags.Add(truth.Tags!);
            _service.Cables.Add(cable);
        }
    }

    [Fact]
    public async Task Ids_format_prints_one_reference_id_a_line()
    {
        var (exitCode, output, _) = await RunAsync("query", "--format", "ids");
        Assert.Equal(0, exitCode);
        Assert.Equal("03ANKARA3694\n04CAIRO8456\n05SANJOSE2727\n", output);
    }

    [Fact]
    public async Task Jsonl_format_prints_the_protobuf_json_with_the_classification_label()
    {
        var (exitCode, output, _) = await RunAsync("query", "--format", "jsonl");
        Assert.Equal(0, exitCode);
        var lines = CommandRunner.JsonLines(output);
        Assert.Equal(3, lines.Count);
        var cairo = lines[1];
        Assert.Equal("04CAIRO8456", cairo.Text("referenceId"));
        Assert.Equal("2004-11-18T13:01:00Z", cairo.Text("created"));
        Assert.Equal("Embassy Cairo", cairo.Text("origin"));
        Assert.Equal("CONFIDENTIAL", cairo.Text("classification"));
        Assert.Equal(Truth.All["04CAIRO8456"].Tags, cairo.Strings("tags"));
        Assert.Equal("EGYPT: ABOUL GHEIT ON IRAQ, MEPP WITH A/S BURNS", cairo.Text("subject"));
        Assert.False(cairo.TryGetProperty("source", out _));
    }

    [Fact]
    public async Task Table_format_aligns_date_id_origin_classification_and_subject()
    {
        var (exitCode, output, _) = await RunAsync("query");
        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("CREATED (UTC)", lines[0]);
        Assert.Equal(
            "2004-11-18 13:01  04CAIRO8456           Embassy Cairo               CONFIDENTIAL            EGYPT: ABOUL GHEIT ON IRAQ, MEPP WITH A/S BURNS",
            lines[2]);
        var subjectColumn = lines[0].IndexOf("SUBJECT", StringComparison.Ordinal);
        Assert.All(lines.Skip(1), line => Assert.Equal(' ', line[subjectColumn - 1]));
    }

    [Fact]
    public async Task Options_become_the_request_filter()
    {
        var (exitCode, _, _) = await RunAsync(
            "query", "--tag", "PREL", "--tag", "EG", "--any-tag", "IR", "--any-tag", "IZ", "--origin", "Embassy Cairo",
            "--from", "2004-01-01", "--to", "2004-12-31", "--max-classification", "confidential", "--text", "Burns",
            "--cites", "04STATE1", "--limit", "2", "--desc", "--full", "--format", "ids");

        Assert.Equal(0, exitCode);
        var request = Assert.Single(_service.StreamRequests);
        Assert.Equal(["PREL", "EG"], request.Filter.AllTags);
        Assert.Equal(["IR", "IZ"], request.Filter.AnyTags);
        Assert.Equal(["Embassy Cairo"], request.Filter.Origins);
        Assert.Equal(new DateTime(2004, 1, 1, 0, 0, 0, DateTimeKind.Utc), request.Filter.CreatedFrom.ToDateTime());
        Assert.Equal(new DateTime(2005, 1, 1, 0, 0, 0, DateTimeKind.Utc), request.Filter.CreatedTo.ToDateTime()); // the whole last day
        Assert.Equal(V1.ClassificationLevel.Confidential, request.Filter.MaxClassification);
        Assert.Equal("Burns", request.Filter.Text);
        Assert.Equal("04STATE1", request.Filter.Cites);
        Assert.Equal(2, request.Limit);
        Assert.Equal(V1.SortOrder.CreatedDesc, request.Order);
        Assert.Equal(V1.CableView.Full, request.View);
    }

    [Fact]
    public async Task Rfc3339_bounds_are_taken_as_given_and_bad_values_are_usage_errors()
    {
        await RunAsync("count", "--from", "2004-11-18T13:00:00Z", "--to", "2004-11-18T15:30:00+02:00");
        var filter = Assert.Single(_service.CountRequests).Filter;
        Assert.Equal(new DateTime(2004, 11, 18, 13, 0, 0, DateTimeKind.Utc), filter.CreatedFrom.ToDateTime());
        Assert.Equal(new DateTime(2004, 11, 18, 13, 30, 0, DateTimeKind.Utc), filter.CreatedTo.ToDateTime());

        var (exitCode, _, error) = await RunAsync("query", "--from", "18/11/2004", "--max-classification", "secretish");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("'18/11/2004' is not a date", error);
        Assert.Contains("'secretish' is not a classification", error);
        Assert.Empty(_service.StreamRequests);
    }

    [Fact]
    public async Task A_stream_broken_midway_resumes_after_the_last_cable_received()
    {
        _service.BreakStreamAfter = 2;
        var (exitCode, output, _) = await RunAsync("query", "--format", "ids");

        Assert.Equal(0, exitCode);
        Assert.Equal("03ANKARA3694\n04CAIRO8456\n05SANJOSE2727\n", output);
        Assert.Equal(["", "2"], _service.StreamRequests.Select(r => r.ResumeToken));
    }

    [Fact]
    public async Task Count_and_get_print_the_answer()
    {
        var count = await RunAsync("count", "--tag", "PREL");
        Assert.Equal((0, "3\n"), (count.ExitCode, count.Output));

        var get = await RunAsync("get", "05SANJOSE2727");
        Assert.Equal(0, get.ExitCode);
        var cable = System.Text.Json.JsonDocument.Parse(get.Output).RootElement; // one indented object
        Assert.Equal("CAFTA SUPPORTERS RALLY FOR LEGISLATIVE APPROVAL", cable.Text("subject"));
        Assert.Equal("UNCLASSIFIED", cable.Text("classification"));

        var missing = await RunAsync("get", "99NOWHERE1");
        Assert.Equal(RpcErrors.ExitCode, missing.ExitCode);
        Assert.Contains("NotFound: no cable 99NOWHERE1", missing.Error);
    }

    [Fact]
    public async Task Errors_print_the_status_and_each_field_violation()
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "the filter is invalid",
            Details =
            {
                Any.Pack(new BadRequest
                {
                    FieldViolations =
                    {
                        new BadRequest.Types.FieldViolation { Field = "filter.text", Description = "at most 1000 characters" },
                        new BadRequest.Types.FieldViolation { Field = "resume_token", Description = "not from this query" },
                    },
                }),
            },
        };
        _service.Failure = status.ToRpcException();

        var (exitCode, output, error) = await RunAsync("query", "--text", "x");

        Assert.Equal(RpcErrors.ExitCode, exitCode);
        Assert.Equal("", output);
        Assert.Equal(
            "cablectl query: InvalidArgument: the filter is invalid\n  filter.text: at most 1000 characters\n  resume_token: not from this query\n",
            error.ReplaceLineEndings("\n"));
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        CommandRunner.RunAsync(args, _ => new CablesConnection(_service));
}
