using System.CommandLine;
using System.Diagnostics;
using Cables.Cli.Ingestion;
using Cables.Cli.Inputs;
using Cables.Cli.Progress;
using Grpc.Core;
using Spectre.Console;

namespace Cables.Cli.Commands;

/// <summary>
/// <c>cablectl ingest PATH… [--server URL] [--concurrency N] [--max-resends N] [--resume STATE] [--dry-run] [--allow-rejects] [--rejects FILE]</c>:
/// stream files, folders, WikiLeaks pages and cables.csv dumps to the service (issue #4).
/// </summary>
public static class IngestCommand
{
    public const int ExitRejected = 3;
    public const int ExitServiceUnavailable = 4;
    /// <summary>Cancelled by the caller; as a process, cablectl exits with the signal's code instead (<see cref="Interruption"/>).</summary>
    public const int ExitInterrupted = 130;

    public static Command Create(CablesConnector connect)
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Telegram .txt files, WikiLeaks .html pages, cables.csv files, or folders of them (walked recursively)",
            Arity = ArgumentArity.OneOrMore,
        };
        var server = ServerOption.Create();
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Items in flight (sent, not yet acknowledged) at most",
            HelpName = "N",
            DefaultValueFactory = _ => new IngestOptions().Window,
        }.AtLeast(1, "at least 1");
        var maxResends = new Option<int>("--max-resends")
        {
            Description = "Times the service may fail the stream on one item, sent alone, before the item is quarantined (written to the rejects file as QUARANTINED)",
            HelpName = "N",
            DefaultValueFactory = _ => new IngestOptions().MaxResends,
        }.AtLeast(1, "at least 1");
        var resume = new Option<string?>("--resume")
        {
            Description = "State file of acknowledged items: skipped by a rerun, appended to by this one (created if missing)",
            HelpName = "STATE",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Parse locally and report what would be ingested; no service needed" };
        var allowRejects = new Option<bool>("--allow-rejects") { Description = $"Exit 0 even if items were rejected (otherwise {ExitRejected})" };
        var rejects = new Option<string>("--rejects")
        {
            Description = "Where rejected items go, one JSON object a line (source, reason, details)",
            HelpName = "FILE",
            DefaultValueFactory = _ => "rejects.jsonl",
        };

        var command = new Command("ingest", "Send cables to the service, with live progress, a rejects file and resumable state")
        {
            paths, server, concurrency, maxResends, resume, dryRun, allowRejects, rejects,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var source = CableSource.FromPaths(result.GetRequiredValue(paths));
            if (source.Missing.Count > 0)
            {
                foreach (var missing in source.Missing)
                {
                    await error.WriteLineAsync($"cablectl ingest: {missing}: no such file or folder");
                }

                return 2;
            }

            if (result.GetValue(dryRun))
            {
                var report = await DryRun.RunAsync(source.Read(), cancellationToken);
                await report.WriteAsync(output);
                return report.Accepted < report.Items && !result.GetValue(allowRejects) ? ExitRejected : 0;
            }

            if (ServerOption.Resolve(result, server, "ingest") is not { } address)
            {
                return 2;
            }

            var run = new IngestRun(
                source,
                address.Server,
                new IngestOptions { Window = result.GetValue(concurrency), MaxResends = result.GetValue(maxResends) },
                result.GetValue(resume),
                result.GetRequiredValue(rejects),
                result.GetValue(allowRejects));
            using var connection = connect(address);
            return await run.ExecuteAsync(connection.Client, output, error, cancellationToken);
        });
        return command;
    }

    /// <summary>One ingest: opens the state and rejects files, runs the session under a display, sums up.</summary>
    private sealed class IngestRun(CableSource source, Uri server, IngestOptions options, string? resumePath, string rejectsPath, bool allowRejects)
    {
        public async Task<int> ExecuteAsync(V1.CableArchive.CableArchiveClient client, TextWriter output, TextWriter error, CancellationToken cancellationToken)
        {
            using var resume = resumePath is null ? null : ResumeState.Open(resumePath);
            if (resume is { Count: > 0 })
            {
                await output.WriteLineAsync($"resuming: {resume.Count:N0} items acknowledged earlier ({resume.Path}) are skipped");
            }

            using var rejects = RejectsFile.Open(rejectsPath, append: resume is not null);
            IIngestDisplay display = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
                ? new LiveIngestDisplay(AnsiConsole.Console)
                : new PlainIngestDisplay(output, TimeSpan.FromSeconds(5));
            using var session = new IngestSession(client, options, resume, new Listener(rejects, display));
            var clock = Stopwatch.StartNew();
            var running = session.RunAsync(source.Read(), cancellationToken);
            await display.ShowAsync(() => IngestSnapshot.Take(session.Counters, source, clock.Elapsed), running);

            int exitCode;
            string? failure = null;
            try
            {
                await running;
                exitCode = session.Counters.Rejected > 0 && !allowRejects ? ExitRejected : 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                failure = "interrupted: rerun with the same --resume file to go on where this run stopped";
                exitCode = ExitInterrupted;
            }
            catch (ServiceUnavailableException ex)
            {
                failure = $"gave up: {ex.Message}";
                exitCode = ExitServiceUnavailable;
            }
            catch (RpcException ex)
            {
                exitCode = await RpcErrors.ReportAsync(error, "ingest", ex, server.ToString());
            }

            var final = IngestSnapshot.Take(session.Counters, source, clock.Elapsed);
            await output.WriteLineAsync(
                $"ingested {final.Acknowledged:N0} cables in {IngestSnapshot.Duration(final.Elapsed)} "
                + $"({final.CablesPerSecond:N0}/s, {final.MegabytesPerSecond:N1} MB/s): {final.Outcomes}"
                + (final.Reconnects > 0 ? $"; {final.Reconnects} reconnects" : "")
                + (session.Counters.Quarantined > 0 ? $"; {session.Counters.Quarantined:N0} quarantined (the service failed on them)" : ""));
            if (rejects.Count > 0)
            {
                await output.WriteLineAsync($"rejected items: {rejects.Path}");
            }

            if (failure is not null)
            {
                await error.WriteLineAsync($"cablectl ingest: {failure}");
            }

            if (resume is not null && failure is not null)
            {
                await error.WriteLineAsync($"cablectl ingest: {resume.Count:N0} acknowledged items recorded in {resume.Path}");
            }

            return exitCode;
        }
    }

    /// <summary>Sends rejections to the rejects file and connection trouble to the display.</summary>
    private sealed class Listener(RejectsFile rejects, IIngestDisplay display) : IIngestListener
    {
        private readonly Lock _lock = new();

        public void Acknowledged(V1.IngestCableResponse response)
        {
            if (response.Outcome != V1.IngestOutcome.Rejected)
            {
                return;
            }

            lock (_lock)
            {
                rejects.Write(response);
            }
        }

        public void Reconnecting(Exception error, int attempt, TimeSpan delay)
        {
            var reason = error is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : error.Message;
            display.Notice($"connection lost ({reason}); reconnecting in {delay.TotalSeconds:0.#} s (attempt {attempt})");
        }
    }
}
