using Cables.Parsing;
using Cables.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Cables.Storage.Tests;

/// <summary>Migration <c>ParagraphsFromBody</c>: going back refuses while a cable keeps its paragraphs only in its body.</summary>
public sealed class ParagraphsMigrationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Before = "20261128041609_DeferredSearchIndex";
    private const string Refusing = "20261128070000_ParagraphsFromBody";

    [Fact]
    public async Task Down_refuses_while_a_cable_has_its_paragraphs_only_in_its_body_and_the_cable_stays_whole()
    {
        const string Body = "1. (C) Only in the body.\n\n2. (U) Twice.";
        var cable = TestCables.Make(3100) with { Body = Body, Paragraphs = CableParser.ReadParagraphs(Body) };
        var store = database.CreateStore();
        await store.IngestAsync([TestCables.ToStore(cable)], CancellationToken.None);

        await using (var db = database.CreateDbContext())
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => db.GetService<IMigrator>().MigrateAsync(Before));
            Assert.Contains("keep their paragraphs only in their body", refused.MessageText, StringComparison.Ordinal);
        }

        // Each migration runs in its own transaction: the later ones went down (BodyFromRawText too: this cable's body is
        // stored, its raw text does not give it), then this one refused and stays applied.
        await using (var db = database.CreateDbContext())
        {
            Assert.Equal(Refusing, (await db.Database.GetAppliedMigrationsAsync()).Last());
            await db.Database.MigrateAsync();
        }

        TestCables.AssertSame(cable, (await store.GetAsync(cable.ReferenceId!, full: true, CancellationToken.None))!.Cable);
    }

}
