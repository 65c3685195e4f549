using Cables.Api.V1;
using CableService.Mapping;
using CableService.Paging;
using Google.Protobuf.WellKnownTypes;

namespace CableService.Tests.Units;

public sealed class QueryMapperTests
{
    [Fact]
    public void Normalises_the_filter_so_equivalent_requests_share_resume_tokens()
    {
        var a = QueryMapper.FromStream(new StreamCablesRequest { Filter = new CableFilter { AllTags = { "prel", " RS " }, Origins = { "Embassy Brussels" } } }, s_key);
        var b = QueryMapper.FromStream(new StreamCablesRequest { Filter = new CableFilter { AllTags = { "RS", "PREL", "PREL" }, Origins = { " Embassy Brussels" } }, Limit = 5 }, s_key);
        Assert.Equal(["PREL", "RS"], a.Query.AllTags);
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.Equal(5, b.Query.Limit);

        var descending = QueryMapper.FromStream(new StreamCablesRequest { Filter = new CableFilter { AllTags = { "PREL", "RS" }, Origins = { "Embassy Brussels" } }, Order = SortOrder.CreatedDesc }, s_key);
        Assert.NotEqual(a.Fingerprint, descending.Fingerprint);
        Assert.True(descending.Query.Descending);
    }

    [Fact]
    public void Maps_every_filter_field()
    {
        var from = new DateTime(2008, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var (query, _) = QueryMapper.FromStream(new StreamCablesRequest
        {
            Filter = new CableFilter
            {
                AnyTags = { "PGOV" },
                CreatedFrom = Timestamp.FromDateTime(from),
                CreatedTo = Timestamp.FromDateTime(from.AddYears(1)),
                MaxClassification = ClassificationLevel.Confidential,
                Text = " nuclear ",
                Cites = "07state123",
            },
            View = CableView.Full,
        }, s_key);
        Assert.Equal(["PGOV"], query.AnyTags);
        Assert.Equal(from, query.CreatedFrom);
        Assert.Equal(from.AddYears(1), query.CreatedTo);
        Assert.Equal(Cables.Parsing.Model.ClassificationLevel.Confidential, query.MaxClassification);
        Assert.Equal("nuclear", query.Text);
        Assert.Equal(Cables.Parsing.Fields.ReferenceIds.Canonicalize("07state123"), query.Cites);
        Assert.True(query.Full);
        Assert.Null(query.Limit);
    }

    [Fact]
    public void Reports_every_bad_field_at_once_as_bad_request_violations()
    {
        var at = Timestamp.FromDateTime(new DateTime(2009, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var error = Assert.Throws<RpcException>(() => QueryMapper.FromStream(new StreamCablesRequest
        {
            Filter = new CableFilter
            {
                CreatedFrom = at,
                CreatedTo = at,
                MaxClassification = (ClassificationLevel)42,
                AllTags = { "PREL", "bad\ttag" },
                AnyTags = { "" },
            },
            Limit = -1,
            ResumeToken = "%%%",
        }, s_key));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).Order().ToArray();
        Assert.Equal(["filter.all_tags[1]", "filter.any_tags[0]", "filter.created_from", "filter.max_classification", "limit", "resume_token"], fields);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Page_size_out_of_range_is_a_violation(int pageSize)
    {
        var error = Assert.Throws<RpcException>(() => QueryMapper.FromList(new ListCablesRequest { PageSize = pageSize }, s_key, out _));
        Assert.Equal("page_size", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }

    [Fact]
    public void Page_size_defaults_to_100_and_asks_the_store_for_one_more()
    {
        var (query, _) = QueryMapper.FromList(new ListCablesRequest(), s_key, out var pageSize);
        Assert.Equal(QueryMapper.DefaultPageSize, pageSize);
        Assert.Equal(QueryMapper.DefaultPageSize + 1, query.Limit);
    }

    [Fact]
    public void A_token_resumes_only_its_own_filter_and_order()
    {
        var request = new StreamCablesRequest { Filter = new CableFilter { AnyTags = { "PREL" } } };
        var fingerprint = QueryMapper.FromStream(request, s_key).Fingerprint;
        var cursor = new Cables.Storage.CableCursor(new DateTime(2008, 9, 5, 18, 18, 0, DateTimeKind.Utc), "08BRUSSELS1390");
        var token = new ResumeToken(cursor, fingerprint).Encode(s_key);

        var resumed = QueryMapper.FromStream(new StreamCablesRequest(request) { ResumeToken = token }, s_key);
        Assert.Equal(cursor, resumed.Query.After);

        var other = new StreamCablesRequest(request) { ResumeToken = token, Order = SortOrder.CreatedDesc };
        var error = Assert.Throws<RpcException>(() => QueryMapper.FromStream(other, s_key));
        Assert.Equal("resume_token", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }

    [Fact]
    public void A_token_altered_truncated_or_signed_with_another_key_is_refused_on_its_field()
    {
        var request = new StreamCablesRequest { Filter = new CableFilter { AnyTags = { "PREL" } } };
        var fingerprint = QueryMapper.FromStream(request, s_key).Fingerprint;
        var token = new ResumeToken(new Cables.Storage.CableCursor(DateTime.UnixEpoch, "08BRUSSELS1390"), fingerprint).Encode(s_key);
        var flipped = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];
        var otherKey = new ResumeToken(new Cables.Storage.CableCursor(DateTime.UnixEpoch, "08BRUSSELS1390"), fingerprint).Encode(new byte[32]);
        var withNul = new ResumeToken(new Cables.Storage.CableCursor(DateTime.UnixEpoch, "08BRUSSELS\01390"), fingerprint).Encode(new byte[32]);

        foreach (var bad in new[] { flipped, token[..^3], otherKey, withNul, "\0", "not a token" })
        {
            var error = Assert.Throws<RpcException>(() => QueryMapper.FromStream(new StreamCablesRequest(request) { ResumeToken = bad }, s_key));
            RpcAssert.SingleViolation(error, "resume_token");
        }
    }

    [Theory]
    [InlineData("text")]
    [InlineData("cites")]
    [InlineData("origins")]
    public void A_filter_string_with_nul_is_invalid_argument_on_its_field(string field)
    {
        var filter = field switch
        {
            "text" => new CableFilter { Text = "nuclear\0" },
            "cites" => new CableFilter { Cites = "08\0BRUSSELS1390" },
            _ => new CableFilter { Origins = { "Embassy\0Brussels" } },
        };

        foreach (var call in new Action[]
        {
            () => QueryMapper.FromStream(new StreamCablesRequest { Filter = filter }, s_key),
            () => QueryMapper.FromList(new ListCablesRequest { Filter = filter }, s_key, out _),
            () => QueryMapper.FromCount(new CountCablesRequest { Filter = filter }),
        })
        {
            var error = Assert.Throws<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.StartsWith($"filter.{field}", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field, StringComparison.Ordinal);
        }
    }

    private static readonly byte[] s_key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
}
