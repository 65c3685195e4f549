namespace CableService.Tests.Security;

public sealed class IngestClearanceTests(SecuredService service) : IClassFixture<SecuredService>
{
    [Fact]
    public async Task A_low_writer_gets_the_same_answers_under_the_id_of_a_secret_cable_as_under_an_unknown_id()
    {
        var before = await service.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = SecuredService.SecretId, View = Api.CableView.Full });
        var writer = service.ClientWith(service.Tokens.Token("cables.ingest cables.read", "secret", "EXDIS"));

        // Pairs that differ only in whether a SECRET cable holds the id (1990) or nothing does (1991, 1992).
        (string Name, string Text)[] items =
        [
            ("low text, secret id", SecuredService.UnclassifiedText("1990")),
            ("low text, unknown id", SecuredService.UnclassifiedText("1991")),
            ("stored secret text", SecuredService.SecretText()),
            ("other secret text, secret id", SecuredService.SecretText("\nREPLACED TEXT\n")),
            ("secret text, unknown id", SecuredService.SecretText().Replace("001990", "001992", StringComparison.Ordinal).Replace("#1990/01", "#1992/01", StringComparison.Ordinal)),
        ];
        var streamed = await writer.IngestAllAsync(items.Select(i => new Api.IngestCableRequest { ClientItemId = i.Name, RawText = i.Text }));
        var unary = new Dictionary<string, Api.IngestCableResponse>();
        foreach (var (name, text) in items)
        {
            unary[name] = await writer.IngestCableAsync(new Api.IngestCableRequest { ClientItemId = name, RawText = text });
        }

        foreach (var answers in new[] { streamed, unary })
        {
            foreach (var (name, _) in items)
            {
                var answer = answers[name];
                Assert.Equal(Api.IngestOutcome.Rejected, answer.Outcome);
                Assert.Equal("ABOVE_CLEARANCE", answer.Reason);
                Assert.Equal(Shape(answers["low text, unknown id"]), Shape(answer));
            }
        }

        var after = await service.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = SecuredService.SecretId, View = Api.CableView.Full });
        Assert.Equal(before, after);
        Assert.Equal(0, after.RevisionCount);
        var stored = await service.Client.CountCablesAsync(new Api.CountCablesRequest());
        Assert.Equal(2, stored.Count);
    }

    [Fact]
    public async Task A_reader_asking_for_a_secret_cable_above_it_gets_the_not_found_of_a_missing_one()
    {
        var reader = service.ClientWith(service.Tokens.Token("cables.read", "confidential"));
        var (hidden, missing) = await SecuredService.AssertHiddenAsMissingAsync(id => reader.GetCableAsync(new Api.GetCableRequest { ReferenceId = id }).ResponseAsync);

        var hiddenStatus = hidden.GetRpcStatus()!;
        var missingStatus = missing.GetRpcStatus()!;
        missingStatus.Message = missingStatus.Message.Replace("1991", "1990", StringComparison.Ordinal);
        var missingInfo = missingStatus.GetDetail<Google.Rpc.ErrorInfo>();
        missingInfo.Metadata["reference_id"] = SecuredService.SecretId;
        missingStatus.Details.Clear();
        missingStatus.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(missingInfo));
        Assert.Equal(missingStatus, hiddenStatus);

        // Cleared for SECRET but not NOFORN: still hidden.
        var noNoforn = service.ClientWith(service.Tokens.Token("cables.read", "secret", "ORCON"));
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => noNoforn.GetCableAsync(new Api.GetCableRequest { ReferenceId = SecuredService.SecretId }).ResponseAsync)).StatusCode);
        var cleared = service.ClientWith(service.Tokens.Token("cables.read", "secret", "NOFORN"));
        Assert.Equal(SecuredService.SecretId, (await cleared.GetCableAsync(new Api.GetCableRequest { ReferenceId = SecuredService.SecretId })).ReferenceId);
    }

    /// <summary>An answer with the reference id's serial blanked: what must not differ between a held and a free id.</summary>
    private static string Shape(Api.IngestCableResponse answer) =>
        $"{answer.Outcome} {answer.Reason} {answer.Details} {answer.ReferenceId.Replace("1990", "x", StringComparison.Ordinal).Replace("1991", "x", StringComparison.Ordinal).Replace("1992", "x", StringComparison.Ordinal)}";
}

public sealed class PerLevelIngestTests(PerLevelIngestService service) : IClassFixture<PerLevelIngestService>
{
    [Fact]
    public async Task A_writer_ingests_under_its_clearance_is_refused_above_it_and_never_alters_a_cable_above_it()
    {
        var before = await service.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = SecuredService.SecretId, View = Api.CableView.Full });
        var writer = service.ClientWith(service.Tokens.Token("cables.ingest", "confidential"));

        var fresh = await writer.IngestCableAsync(new Api.IngestCableRequest { ClientItemId = "fresh", RawText = SecuredService.UnclassifiedText("1991") });
        var again = await writer.IngestCableAsync(new Api.IngestCableRequest { ClientItemId = "again", RawText = SecuredService.UnclassifiedText("1991") });
        var over = await writer.IngestCableAsync(new Api.IngestCableRequest { ClientItemId = "over", RawText = SecuredService.UnclassifiedText("1990", "\nREPLACED TEXT\n") });
        var above = await writer.IngestCableAsync(new Api.IngestCableRequest { ClientItemId = "above", RawText = SecuredService.SecretText() });

        Assert.Equal(Api.IngestOutcome.Created, fresh.Outcome);
        Assert.Equal(Api.IngestOutcome.Unchanged, again.Outcome);
        // The documented cost of this mode: an id held above the writer is refused, where a free one would be created.
        Assert.Equal(("ABOVE_CLEARANCE", Api.IngestOutcome.Rejected), (over.Reason, over.Outcome));
        Assert.Equal(("ABOVE_CLEARANCE", Api.IngestOutcome.Rejected), (above.Reason, above.Outcome));
        Assert.Equal(over.Details, above.Details);

        var after = await service.Client.GetCableAsync(new Api.GetCableRequest { ReferenceId = SecuredService.SecretId, View = Api.CableView.Full });
        Assert.Equal(before, after);
    }
}
