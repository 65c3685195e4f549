using Google.Protobuf.WellKnownTypes;
using Xunit.Abstractions;

namespace CableService.Tests.Functional;

/// <summary>
/// Queries over the ingested corpus sample, checked against corpus/truth.jsonl. A filter on a field is checked on the
/// cables whose parsed value of that field agrees with the truth (the parser's own accuracy is the parser tests'
/// business); on those, the service must return exactly the cables the truth says match, in order. Every returned
/// cable must also satisfy the filter by its own returned fields.
/// </summary>
public sealed class QueryTests(CorpusService corpus, ITestOutputHelper output) : IClassFixture<CorpusService>
{
    private static readonly DateTime s_2008 = new(2008, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_2009 = new(2009, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Every_item_of_the_stream_was_answered_once_and_stored()
    {
        Assert.Equal(corpus.Sample.Count + 1, corpus.Responses.Count);
        var rejected = corpus.Responses.Values.Where(r => r.Outcome == Api.IngestOutcome.Rejected).ToList();
        foreach (var r in rejected)
        {
            output.WriteLine($"rejected {r.ClientItemId}: {r.Reason} {r.Details}");
        }

        var created = corpus.Responses.Values.Count(r => r.Outcome == Api.IngestOutcome.Created);
        output.WriteLine($"{corpus.Responses.Count} items in {corpus.IngestTime.TotalSeconds:F1} s " +
            $"({corpus.Responses.Count / corpus.IngestTime.TotalSeconds:F0}/s); created {created}, rejected {rejected.Count}");
        Assert.True(created >= 500, $"only {created} created");
        Assert.Equal(Api.IngestOutcome.Created, corpus.Responses["seed"].Outcome);
        Assert.Equal("08BRUSSELS1390", corpus.Responses["seed"].ReferenceId);
        Assert.Equal(created, corpus.Stored.Count);
        foreach (var truth in corpus.Sample)
        {
            var response = corpus.Responses[truth.ReferenceId];
            Assert.True(response.Outcome is Api.IngestOutcome.Created or Api.IngestOutcome.Rejected, $"{truth.ReferenceId}: {response.Outcome}");
        }
    }

    [Fact]
    public async Task Count_matches_what_the_stream_returns()
    {
        var filter = new Api.CableFilter { MaxClassification = Api.ClassificationLevel.Confidential, CreatedFrom = Timestamp.FromDateTime(s_2008) };
        var streamed = await corpus.Client.StreamAllAsync(new Api.StreamCablesRequest { Filter = filter });
        var count = await corpus.Client.CountCablesAsync(new Api.CountCablesRequest { Filter = filter });
        Assert.Equal(streamed.Count, count.Count);
        Assert.Equal(corpus.Stored.Count, (await corpus.Client.CountCablesAsync(new Api.CountCablesRequest())).Count);
    }

    public static TheoryData<string> FilterCases => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(FilterCases))]
    public async Task Each_filter_returns_exactly_the_cables_the_truth_expects_in_order(string name)
    {
        var @case = Cases[name](corpus);
        foreach (var order in new[] { Api.SortOrder.CreatedAsc, Api.SortOrder.CreatedDesc })
        {
            var results = (await corpus.Client.StreamAllAsync(new Api.StreamCablesRequest { Filter = @case.Filter, Order = order }))
                .Select(r => r.Cable).ToList();

            // Ordered by (created, reference id) in the requested direction.
            var keys = results.Select(c => (c.Created.ToDateTime(), c.ReferenceId)).ToList();
            var sorted = keys.Order().ToList();
            if (order == Api.SortOrder.CreatedDesc)
            {
                sorted.Reverse();
            }

            Assert.Equal(sorted, keys);
            Assert.All(results, c => Assert.True(@case.Holds(c), $"{c.ReferenceId} does not satisfy {name}"));

            var agreeing = corpus.Sample.Where(t => corpus.StoredAs(t) is { } c && @case.Agrees(t, c)).ToList();
            var expected = agreeing.Where(@case.Expected).Select(t => t.ReferenceId).ToHashSet();
            var agreeingIds = agreeing.Select(t => t.ReferenceId).ToHashSet();
            var actual = results.Select(c => c.ReferenceId).Where(agreeingIds.Contains).ToList();
            output.WriteLine($"{name} {order}: {results.Count} returned; {agreeing.Count} cables agree with the truth on the filtered fields, {expected.Count} of them expected");
            Assert.True(agreeing.Count >= corpus.Sample.Count / 4, $"the parser agrees with the truth on only {agreeing.Count} cables");
            Assert.True(expected.Count > 0, "the case selects nothing");
            Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
            Assert.Equal(results.Count, (await corpus.Client.CountCablesAsync(new Api.CountCablesRequest { Filter = @case.Filter })).Count);
        }
    }

    [Fact]
    public async Task Full_text_finds_the_cables_whose_subject_names_the_word_and_only_cables_whose_text_does()
    {
        const string word = "Lavrov";
        var results = await corpus.Client.StreamAllAsync(new Api.StreamCablesRequest { Filter = new Api.CableFilter { Text = word } });
        var ids = results.Select(r => r.Cable.ReferenceId).ToHashSet();
        Assert.Contains("08BRUSSELS1390", ids);
        var files = corpus.Files();
        Assert.All(ids, id => Assert.Contains(word, File.ReadAllText(files[id]), StringComparison.OrdinalIgnoreCase));
        var bySubject = corpus.Stored.Values.Where(c => c.Subject.Contains(word, StringComparison.OrdinalIgnoreCase)).Select(c => c.ReferenceId);
        Assert.Subset(ids, bySubject.ToHashSet());
    }

    [Fact]
    public async Task A_resumed_stream_continues_exactly_after_the_token_s_cable()
    {
        var request = new Api.StreamCablesRequest
        {
            Filter = new Api.CableFilter { MaxClassification = Api.ClassificationLevel.Secret },
            Order = Api.SortOrder.CreatedDesc,
        };
        var whole = await corpus.Client.StreamAllAsync(request);
        Assert.True(whole.Count > 100);

        // Stop after 37, as a client that lost its connection would.
        var firstPart = new List<Api.StreamCablesResponse>();
        using (var call = corpus.Client.StreamCables(request))
        {
            while (firstPart.Count < 37 && await call.ResponseStream.MoveNext())
            {
                firstPart.Add(call.ResponseStream.Current);
            }
        }

        var rest = await corpus.Client.StreamAllAsync(new Api.StreamCablesRequest(request) { ResumeToken = firstPart[^1].ResumeToken });
        Assert.Equal(whole.Select(r => r.Cable.ReferenceId), firstPart.Concat(rest).Select(r => r.Cable.ReferenceId));
        Assert.Equal(whole.Select(r => r.ResumeToken), firstPart.Concat(rest).Select(r => r.ResumeToken));

        // With a limit, page by page through the stream's own tokens.
        var paged = new List<string>();
        var token = "";
        while (true)
        {
            var page = await corpus.Client.StreamAllAsync(new Api.StreamCablesRequest(request) { Limit = 100, ResumeToken = token });
            paged.AddRange(page.Select(r => r.Cable.ReferenceId));
            if (page.Count < 100)
            {
                break;
            }

            token = page[^1].ResumeToken;
        }

        Assert.Equal(whole.Select(r => r.Cable.ReferenceId), paged);
    }

    [Fact]
    public async Task Listing_page_by_page_gives_the_stream_s_cables()
    {
        var filter = new Api.CableFilter { CreatedFrom = Timestamp.FromDateTime(s_2008) };
        var whole = (await corpus.Client.StreamAllAsync(new Api.StreamCablesRequest { Filter = filter })).Select(r => r.Cable.ReferenceId).ToList();
        var listed = new List<string>();
        var request = new Api.ListCablesRequest { Filter = filter, PageSize = 64 };
        var pages = 0;
        do
        {
            var page = await corpus.Client.ListCablesAsync(request);
            Assert.True(page.Cables.Count <= 64);
            listed.AddRange(page.Cables.Select(c => c.ReferenceId));
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (request.PageToken.Length > 0);
        Assert.Equal(whole, listed);
        Assert.Equal((whole.Count + 63) / 64, pages);

        var firstPage = await corpus.Client.ListCablesAsync(new Api.ListCablesRequest { Filter = filter });
        Assert.Equal(Math.Min(100, whole.Count), firstPage.Cables.Count);
    }

    [Fact]
    public async Task A_token_from_another_filter_or_order_is_invalid_argument()
    {
        var request = new Api.StreamCablesRequest { Filter = new Api.CableFilter { CreatedFrom = Timestamp.FromDateTime(s_2008) }, Limit = 1 };
        var token = (await corpus.Client.StreamAllAsync(request)).Single().ResumeToken;

        var otherOrder = new Api.StreamCablesRequest(request) { ResumeToken = token, Order = Api.SortOrder.CreatedDesc };
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => corpus.Client.StreamAllAsync(otherOrder)), "resume_token");

        var otherFilter = new Api.ListCablesRequest { Filter = new Api.CableFilter { CreatedFrom = Timestamp.FromDateTime(s_2009) }, PageToken = token };
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => corpus.Client.ListCablesAsync(otherFilter).ResponseAsync), "page_token");

        var malformed = new Api.StreamCablesRequest(request) { ResumeToken = "bm90IGEgdG9rZW4" };
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => corpus.Client.StreamAllAsync(malformed)), "resume_token");
    }

    [Fact]
    public async Task Bad_filters_are_invalid_argument_with_a_violation_per_field()
    {
        var at = Timestamp.FromDateTime(s_2008);
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => corpus.Client.StreamAllAsync(
            new Api.StreamCablesRequest { Filter = new Api.CableFilter { CreatedFrom = at, CreatedTo = at } })), "filter.created_from");
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => corpus.Client.CountCablesAsync(
            new Api.CountCablesRequest { Filter = new Api.CableFilter { MaxClassification = (Api.ClassificationLevel)9 } }).ResponseAsync), "filter.max_classification");
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => corpus.Client.ListCablesAsync(
            new Api.ListCablesRequest { PageSize = 1001 }).ResponseAsync), "page_size");
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => corpus.Client.StreamAllAsync(
            new Api.StreamCablesRequest { Filter = new Api.CableFilter { AnyTags = { "PREL", "<script>" } } })), "filter.any_tags[1]");
        RpcAssert.Violation(await Assert.ThrowsAsync<RpcException>(() => corpus.Client.GetCableAsync(
            new Api.GetCableRequest { ReferenceId = " " }).ResponseAsync), "reference_id");
    }

    [Fact]
    public async Task Get_returns_the_basic_or_full_view_by_canonical_id_and_not_found_otherwise()
    {
        var basic = await corpus.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08brussels1390" });
        Assert.Equal("08BRUSSELS1390", basic.ReferenceId);
        Assert.Equal(new DateTime(2008, 9, 5, 18, 18, 0, DateTimeKind.Utc), basic.Created.ToDateTime());
        Assert.Equal("", basic.Body);
        Assert.Equal("", basic.RawText);
        Assert.Empty(basic.Paragraphs);

        var full = await corpus.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08BRUSSELS1390", View = Api.CableView.Full });
        Assert.Equal(File.ReadAllText(Corpus.SeedPath), full.RawText);
        Assert.Contains("Lavrov", full.Body, StringComparison.Ordinal);
        Assert.Equal(64, full.ContentSha256.Length);

        var error = await Assert.ThrowsAsync<RpcException>(() => corpus.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "99NOWHERE1" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("CABLE_NOT_FOUND", error.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
    }

    [Fact]
    public async Task A_client_that_cancels_a_stream_ends_the_call()
    {
        using var cancellation = new CancellationTokenSource();
        using var call = corpus.Client.StreamCables(new Api.StreamCablesRequest { View = Api.CableView.Full }, cancellationToken: cancellation.Token);
        Assert.True(await call.ResponseStream.MoveNext());
        await cancellation.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
            }
        });
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);

        // The service goes on serving.
        Assert.Equal(corpus.Stored.Count, (await corpus.Client.CountCablesAsync(new Api.CountCablesRequest())).Count);
    }

    // ---- filter cases: the request, the truth's verdict, when parser and truth agree, and the returned cable's own verdict ----

    private sealed record FilterCase(
        Api.CableFilter Filter, Func<TruthCable, bool> Expected, Func<TruthCable, Api.Cable, bool> Agrees, Func<Api.Cable, bool> Holds);

    private static Api.ClassificationLevel Level(string label) => label.Split("//")[0] switch
    {
        "UNCLASSIFIED" when label.Contains("OFFICIAL USE", StringComparison.Ordinal) => Api.ClassificationLevel.UnclassifiedFouo,
        "UNCLASSIFIED" => Api.ClassificationLevel.Unclassified,
        "CONFIDENTIAL" => Api.ClassificationLevel.Confidential,
        "SECRET" => Api.ClassificationLevel.Secret,
        "TOP SECRET" => Api.ClassificationLevel.TopSecret,
        _ => Api.ClassificationLevel.Unspecified,
    };

    private static bool SameCreated(TruthCable t, Api.Cable c)
    {
        var parsed = c.Created.ToDateTime();
        return t.HourPrecision ? parsed.Date == t.Created.Date && parsed.Hour == t.Created.Hour : parsed == t.Created;
    }

    private static bool SameTags(TruthCable t, Api.Cable c) => t.Tags is { Count: > 0 } && t.Tags.ToHashSet().SetEquals(c.Tags);

    private static string TopOrigin(CorpusService s) =>
        s.Sample.Where(t => s.StoredAs(t) is not null).GroupBy(t => t.Origin).MaxBy(g => g.Count())!.Key;

    private static string[] TopTags(CorpusService s, int count) =>
        [.. s.Sample.SelectMany(t => t.Tags ?? []).GroupBy(t => t).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(count).Select(g => g.Key)];

    private static readonly Dictionary<string, Func<CorpusService, FilterCase>> Cases = new()
    {
        ["origin"] = s =>
        {
            var origin = TopOrigin(s);
            return new(new() { Origins = { origin } }, t => t.Origin == origin, (t, c) => c.Origin == t.Origin, c => c.Origin == origin);
        },
        ["created range"] = _ => new(
            new() { CreatedFrom = Timestamp.FromDateTime(s_2008), CreatedTo = Timestamp.FromDateTime(s_2009) },
            t => t.Created >= s_2008 && t.Created < s_2009, SameCreated,
            c => c.Created.ToDateTime() >= s_2008 && c.Created.ToDateTime() < s_2009),
        ["classification ceiling"] = _ => new(
            new() { MaxClassification = Api.ClassificationLevel.UnclassifiedFouo },
            t => Level(t.Classification) <= Api.ClassificationLevel.UnclassifiedFouo,
            (t, c) => c.Classification.Level == Level(t.Classification),
            c => c.Classification.Level is Api.ClassificationLevel.Unclassified or Api.ClassificationLevel.UnclassifiedFouo),
        ["all tags"] = s =>
        {
            var tags = TopTags(s, 2);
            return new(new() { AllTags = { tags } }, t => tags.All(t.Tags!.Contains), SameTags, c => tags.All(c.Tags.Contains));
        },
        ["any tags"] = s =>
        {
            var tags = TopTags(s, 4)[2..];
            return new(new() { AnyTags = { tags } }, t => tags.Any(t.Tags!.Contains), SameTags, c => tags.Any(c.Tags.Contains));
        },
        ["origin, range and ceiling"] = s =>
        {
            var origin = TopOrigin(s);
            var from = new DateTime(2006, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            return new(
                new() { Origins = { origin, "Embassy Nowhere" }, CreatedFrom = Timestamp.FromDateTime(from), MaxClassification = Api.ClassificationLevel.Confidential },
                t => t.Origin == origin && t.Created >= from && Level(t.Classification) <= Api.ClassificationLevel.Confidential,
                (t, c) => c.Origin == t.Origin && SameCreated(t, c) && c.Classification.Level == Level(t.Classification),
                c => c.Origin == origin && c.Created.ToDateTime() >= from && c.Classification.Level is > Api.ClassificationLevel.Unspecified and <= Api.ClassificationLevel.Confidential);
        },
        ["tag, range and ceiling"] = s =>
        {
            var tag = TopTags(s, 1)[0];
            return new(
                new() { AnyTags = { tag }, CreatedTo = Timestamp.FromDateTime(s_2009), MaxClassification = Api.ClassificationLevel.Secret },
                t => t.Tags!.Contains(tag) && t.Created < s_2009 && Level(t.Classification) <= Api.ClassificationLevel.Secret,
                (t, c) => SameTags(t, c) && SameCreated(t, c) && c.Classification.Level == Level(t.Classification),
                c => c.Tags.Contains(tag) && c.Created.ToDateTime() < s_2009 && c.Classification.Level is > Api.ClassificationLevel.Unspecified and <= Api.ClassificationLevel.Secret);
        },
    };
}
