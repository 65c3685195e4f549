using Cables.Api.V1;
using CableService.Mapping;
using CableService.Paging;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace CableService.Tests.Units;

public sealed class QueryMapperTests
{
    [Fact]
    public void Normalises_the_filter_so_equivalent_requests_share_resume_tokens()
    {
        var a = QueryMapper.FromStream(new StreamCablesRequest { Filter = new CableFilter { AllTags = { "prel", " RS " }, Origins = { "Embassy Brussels" } } });
        var b = QueryMapper.FromStream(new StreamCablesRequest { Filter = new CableFilter { AllTags = { "RS", "PREL", "PREL" }, Origins = { " Embassy Brussels" } }, Limit = 5 });
        Assert.Equal(["PREL", "RS"], a.Query.AllTags);
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.Equal(5, b.Query.Limit);

        var descending = QueryMapper.FromStream(new StreamCablesRequest { Filter = new CableFilter { AllTags = { "PREL", "RS" }, Origins = { "Embassy Brussels" } }, Order = SortOrder.CreatedDesc });
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
        });
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
        }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field).Order().ToArray();
        Assert.Equal(["filter.all_tags[1]", "filter.any_tags[0]", "filter.created_from", "filter.max_classification", "limit", "resume_token"], fields);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Page_size_out_of_range_is_a_violation(int pageSize)
    {
        var error = Assert.Throws<RpcException>(() => QueryMapper.FromList(new ListCablesRequest { PageSize = pageSize }, out _));
        Assert.Equal("page_size", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }

    [Fact]
    public void Page_size_defaults_to_100_and_asks_the_store_for_one_more()
    {
        var (query, _) = QueryMapper.FromList(new ListCablesRequest(), out var pageSize);
        Assert.Equal(QueryMapper.DefaultPageSize, pageSize);
        Assert.Equal(QueryMapper.DefaultPageSize + 1, query.Limit);
    }

    [Fact]
    public void A_token_resumes_only_its_own_filter_and_order()
    {
        var request = new StreamCablesRequest { Filter = new CableFilter { AnyTags = { "PREL" } } };
        var fingerprint = QueryMapper.FromStream(request).Fingerprint;
        var cursor = new Cables.Storage.CableCursor(new DateTime(2008, 9, 5, 18, 18, 0, DateTimeKind.Utc), "08BRUSSELS1390");
        var token = new ResumeToken(cursor, fingerprint).Encode();

        var resumed = QueryMapper.FromStream(new StreamCablesRequest(request) { ResumeToken = token });
        Assert.Equal(cursor, resumed.Query.After);

        var other = new StreamCablesRequest(request) { ResumeToken = token, Order = SortOrder.CreatedDesc };
        var error = Assert.Throws<RpcException>(() => QueryMapper.FromStream(other));
        Assert.Equal("resume_token", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }
}
