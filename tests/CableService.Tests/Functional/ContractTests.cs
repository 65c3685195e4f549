using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Health.V1;

namespace CableService.Tests.Functional;

/// <summary>
/// What independent clients found, over real Kestrel and PostgreSQL: no input gets UNKNOWN, and a bad item
/// never costs the good ones sent with it.
/// </summary>
public sealed class ContractTests(ServiceHost host) : IClassFixture<ServiceHost>
{
    private static readonly Marshaller<byte[]> s_raw = Marshallers.Create(bytes => bytes, bytes => bytes);

    private static readonly (MethodType Type, string Name)[] s_methods =
    [
        (MethodType.Unary, "IngestCable"),
        (MethodType.DuplexStreaming, "IngestCables"),
        (MethodType.Unary, "GetCable"),
        (MethodType.ServerStreaming, "StreamCables"),
        (MethodType.Unary, "CountCables"),
        (MethodType.Unary, "ListCables"),
    ];

    [Theory]
    [InlineData("text")]
    [InlineData("cites")]
    [InlineData("origins")]
    public async Task Nul_in_a_filter_string_is_invalid_argument_on_that_field_in_every_query(string field)
    {
        var filter = field switch
        {
            "text" => new Api.CableFilter { Text = "nuclear\0" },
            "cites" => new Api.CableFilter { Cites = "08BRUSSELS\01390" },
            _ => new Api.CableFilter { Origins = { "Embassy\0Brussels" } },
        };

        foreach (var call in new Func<Task>[]
        {
            () => host.Client.CountCablesAsync(new Api.CountCablesRequest { Filter = filter }).ResponseAsync,
            () => host.Client.ListCablesAsync(new Api.ListCablesRequest { Filter = filter }).ResponseAsync,
            () => host.Client.StreamCables(new Api.StreamCablesRequest { Filter = filter }).ResponseStream.MoveNext(),
        })
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.StartsWith($"filter.{field}", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Nul_in_a_reference_id_is_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08BRUSSELS\01390" }).ResponseAsync);
        RpcAssert.SingleViolation(error, "reference_id");
    }

    [Fact]
    public async Task Bad_items_between_good_ones_are_rejected_one_by_one_and_the_good_ones_stored()
    {
        var seed = File.ReadAllText(Corpus.SeedPath);
        var athens = File.ReadAllText(Cables.Testing.SharedFolder.Path("corpus", "cables", "00ATHENS1917.txt"));
        Api.IngestCableRequest Item(string id, Action<Api.SourceMetadata>? change = null) => new()
        {
            ClientItemId = id,
            RawText = seed,
            Metadata = new Api.SourceMetadata { ReferenceId = id }.Also(m => change?.Invoke(m)),
        };

        var requests = new[]
        {
            Item("08GOODFIRST1"),
            Item("nul-id", m => m.ReferenceId = "08BAD\01"),
            Item("nul-origin", m => m.Origin = "Embassy\0Brussels"),
            Item("long-origin", m => m.Origin = new string('O', 3000)),
            Item("year-1", m => m.Created = Timestamp.FromDateTime(new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Utc))),
            Item("year-9999", m => m.Created = Timestamp.FromDateTime(new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc))),
            new Api.IngestCableRequest { ClientItemId = "long-tag", RawText = athens.Replace("TAGS: ", "TAGS: " + new string('T', 3000) + " ", StringComparison.Ordinal) },
            new Api.IngestCableRequest { ClientItemId = "unknown-format", RawText = seed, Format = (Api.SourceFormat)77 },
            Item("08GOODLAST2"),
        };

        var answers = await host.Client.IngestAllAsync(requests);

        Assert.Equal(requests.Length, answers.Count);
        Assert.Equal(Api.IngestOutcome.Created, answers["08GOODFIRST1"].Outcome);
        Assert.Equal(Api.IngestOutcome.Created, answers["08GOODLAST2"].Outcome);
        foreach (var (id, reason, field) in new[]
        {
            ("nul-id", "INVALID_METADATA", "metadata.reference_id"),
            ("nul-origin", "INVALID_METADATA", "metadata.origin"),
            ("long-origin", "INVALID_METADATA", "metadata.origin"),
            ("year-1", "INVALID_METADATA", "metadata.created"),
            ("year-9999", "INVALID_METADATA", "metadata.created"),
            ("long-tag", "INVALID_TEXT", "tag"),
            ("unknown-format", "INVALID_FORMAT", "format"),
        })
        {
            Assert.Equal(Api.IngestOutcome.Rejected, answers[id].Outcome);
            Assert.Equal(reason, answers[id].Reason);
            Assert.Contains(field, answers[id].Details, StringComparison.Ordinal);
        }

        Assert.NotNull(await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08GOODFIRST1" }));
        Assert.NotNull(await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08GOODLAST2" }));
    }

    [Theory]
    [InlineData("embassy brussels")]
    [InlineData("EMBASSY BRUSSELS")]
    public async Task Origins_match_in_any_case_as_tags_and_ids_do(string origin)
    {
        await host.Client.IngestAllAsync([Ingestion.Telegram(Corpus.SeedPath)]);
        var exact = await host.Client.CountCablesAsync(new Api.CountCablesRequest { Filter = new Api.CableFilter { Origins = { "Embassy Brussels" } } });

        var other = await host.Client.CountCablesAsync(new Api.CountCablesRequest { Filter = new Api.CableFilter { Origins = { origin } } });

        Assert.True(exact.Count > 0);
        Assert.Equal(exact.Count, other.Count);
    }

    [Fact]
    public async Task A_read_mask_returns_only_its_fields_in_every_read()
    {
        await host.Client.IngestAllAsync([Ingestion.Telegram(Corpus.SeedPath)]);
        var mask = new FieldMask { Paths = { "subject", "body" } };
        var whole = await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08BRUSSELS1390", View = Api.CableView.Full });
        var expected = new Api.Cable { Subject = whole.Subject, Body = whole.Body };

        var got = await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08BRUSSELS1390", ReadMask = mask });
        var streamed = await host.Client.StreamAllAsync(new Api.StreamCablesRequest { Filter = new Api.CableFilter { Origins = { "Embassy Brussels" } }, ReadMask = mask });
        var listed = await host.Client.ListCablesAsync(new Api.ListCablesRequest { Filter = new Api.CableFilter { Origins = { "Embassy Brussels" } }, ReadMask = mask });

        Assert.NotEmpty(whole.Body);
        Assert.Equal(expected, got);
        Assert.Contains(expected, streamed.Select(r => r.Cable));
        Assert.Contains(expected, listed.Cables);
        Assert.All(streamed, r => Assert.Empty(r.Cable.RawText));

        var bad = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetCableAsync(
            new Api.GetCableRequest { ReferenceId = "08BRUSSELS1390", ReadMask = new FieldMask { Paths = { "no_such_field" } } }).ResponseAsync);
        RpcAssert.SingleViolation(bad, "read_mask");
    }

    [Fact]
    public async Task An_unknown_format_on_a_unary_ingest_is_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.IngestCableAsync(
            new Api.IngestCableRequest { RawText = "x", Format = (Api.SourceFormat)77 }).ResponseAsync);
        RpcAssert.SingleViolation(error, "format");
    }

    [Fact]
    public async Task A_message_that_is_not_utf8_ends_the_stream_invalid_argument_after_answering_what_came_before()
    {
        var good = new Api.IngestCableRequest { ClientItemId = "before", RawText = File.ReadAllText(Corpus.SeedPath) };
        good.Metadata = new Api.SourceMetadata { ReferenceId = "08BEFOREBAD1" };
        byte[] notUtf8 = [0x12, 0x02, 0xff, 0xfe]; // raw_text: two bytes that are no UTF-8

        using var call = Invoker().AsyncDuplexStreamingCall(Method(MethodType.DuplexStreaming, "IngestCables"), null, Deadline());
        await call.RequestStream.WriteAsync(good.ToByteArray());
        await call.RequestStream.WriteAsync(notUtf8);
        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext());
        var answer = Api.IngestCableResponse.Parser.ParseFrom(call.ResponseStream.Current);
        Assert.Equal(("before", Api.IngestOutcome.Created), (answer.ClientItemId, answer.Outcome));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.NotNull(await host.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = "08BEFOREBAD1" }));

        var unary = await Assert.ThrowsAsync<RpcException>(() =>
            Invoker().AsyncUnaryCall(Method(MethodType.Unary, "IngestCable"), null, Deadline(), notUtf8).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, unary.StatusCode);
    }

    [Fact]
    public async Task A_tampered_or_truncated_token_is_invalid_argument_on_its_field()
    {
        await host.Client.IngestAllAsync([Ingestion.Telegram(Corpus.SeedPath)]);
        var request = new Api.StreamCablesRequest { Limit = 1 };
        var token = (await host.Client.StreamAllAsync(request)).Single().ResumeToken;

        foreach (var bad in new[] { token[..5] + (token[5] == 'A' ? 'B' : 'A') + token[6..], token[..^4], token + "\0" })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.StreamAllAsync(new Api.StreamCablesRequest(request) { ResumeToken = bad }));
            RpcAssert.SingleViolation(error, "resume_token");
        }
    }

    [Theory]
    [InlineData("---------------------------------")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("((((((((((((((((((((a))))))))))))))))))))")]
    [InlineData("\"\"\"\"\"\" or or or -a -b -c \"x y\" OR")]
    public async Task A_pathological_full_text_query_answers_or_is_invalid_argument_never_unknown(string text)
    {
        try
        {
            await host.Client.CountCablesAsync(new Api.CountCablesRequest { Filter = new Api.CableFilter { Text = text } });
        }
        catch (RpcException e)
        {
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }
    }

    [Fact]
    public async Task Random_bytes_to_every_method_get_a_canonical_status_and_the_server_stays_healthy()
    {
        var random = new Random(20261204);
        foreach (var (type, name) in s_methods)
        {
            for (var i = 0; i < 40; i++)
            {
                var bytes = new byte[random.Next(1, 200)];
                random.NextBytes(bytes);
                var status = await StatusOfAsync(type, name, bytes);
                Assert.True(
                    status is StatusCode.OK or StatusCode.InvalidArgument or StatusCode.NotFound,
                    $"{name} answered {status} to {Convert.ToHexString(bytes)}");
            }
        }

        var health = await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    private async Task<StatusCode> StatusOfAsync(MethodType type, string name, byte[] message)
    {
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await Invoker().AsyncUnaryCall(Method(type, name), null, Deadline(), message);
                    break;
                case MethodType.ServerStreaming:
                    using (var stream = Invoker().AsyncServerStreamingCall(Method(type, name), null, Deadline(), message))
                    {
                        while (await stream.ResponseStream.MoveNext())
                        {
                        }
                    }

                    break;
                default:
                    using (var duplex = Invoker().AsyncDuplexStreamingCall(Method(type, name), null, Deadline()))
                    {
                        await duplex.RequestStream.WriteAsync(message);
                        await duplex.RequestStream.CompleteAsync();
                        while (await duplex.ResponseStream.MoveNext())
                        {
                        }
                    }

                    break;
            }

            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private CallInvoker Invoker() => host.Channel.CreateCallInvoker();

    private static Method<byte[], byte[]> Method(MethodType type, string name) => new(type, "cables.v1.CableArchive", name, s_raw, s_raw);

    private static CallOptions Deadline() => new(deadline: DateTime.UtcNow.AddSeconds(30));
}
