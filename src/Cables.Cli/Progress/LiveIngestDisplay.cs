using Spectre.Console;

namespace Cables.Cli.Progress;

/// <summary>For a terminal: a live panel redrawn four times a second (rates, outcomes, progress bar, ETA).</summary>
public sealed class LiveIngestDisplay(IAnsiConsole console) : IIngestDisplay
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(250);
    private volatile string? _notice;

    public Task ShowAsync(Func<IngestSnapshot> snapshot, Task run) =>
        console.Live(Render(snapshot())).AutoClear(false).StartAsync(async context =>
        {
            while (await Task.WhenAny(run, Task.Delay(s_refresh)) != run)
            {
                context.UpdateTarget(Render(snapshot()));
            }

            _notice = null;
            context.UpdateTarget(Render(snapshot()));
        });

    public void Notice(string message) => _notice = message;

    private Panel Render(IngestSnapshot s)
    {
        const int width = 30;
        var filled = (int)Math.Round(s.Fraction * width);
        var bar = $"[green]{new string('━', filled)}[/][grey]{new string('━', width - filled)}[/]";
        var eta = s.Eta is { } time ? $"ETA {IngestSnapshot.Duration(time)}" : "";
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow(new Markup("[bold]progress[/]"), new Markup($"{bar} {s.Fraction,4:P0}  {IngestSnapshot.Duration(s.Elapsed)}  {eta}"));
        grid.AddRow(new Markup("[bold]rate[/]"), new Markup($"{s.CablesPerSecond:N0} cables/s  {s.MegabytesPerSecond:N1} MB/s  ({s.InFlight:N0} in flight)"));
        grid.AddRow(
            new Markup("[bold]cables[/]"),
            new Markup($"[green]created {s.Created:N0}[/]  unchanged {s.Unchanged:N0}  [blue]revised {s.Revised:N0}[/]  "
                + $"{(s.Rejected > 0 ? "[red]" : "[grey]")}rejected {s.Rejected:N0}[/]"
                + (s.Skipped > 0 ? $"  [grey]skipped {s.Skipped:N0} (resume)[/]" : "")));
        if (_notice is { } notice)
        {
            grid.AddRow(new Markup("[yellow]service[/]"), new Text(notice));
        }

        return new Panel(grid).Header("cablectl ingest").Border(BoxBorder.Rounded);
    }
}
