using System.Diagnostics;

namespace Cables.Bench.Load;

/// <summary>
/// CPU seconds spent by the service, by the harness's PostgreSQL cluster (its postmaster and children, plus the
/// exited backends the postmaster has reaped) and by this client, read from /proc. On a machine shared with other work, wall-clock
/// rates swing with the neighbours' load; CPU seconds per cable do not, so the report gives both.
/// </summary>
public sealed record CpuTimes(double Service, double Postgres, double Client)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on Linux

    /// <summary>The postmaster of the cluster to account (other clusters on the machine are not ours); 0 for none.</summary>
    public static int PostmasterPid { get; set; }

    public static CpuTimes Read(int servicePid) =>
        new(servicePid > 0 ? ProcessSeconds(servicePid, includeChildren: false) : 0, PostgresSeconds(), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);

    public static CpuTimes operator -(CpuTimes a, CpuTimes b) => new(a.Service - b.Service, a.Postgres - b.Postgres, a.Client - b.Client);

    /// <summary>Milliseconds of CPU per 1,000 cables, per component.</summary>
    public CpuTimes PerThousandCables(long cables) => cables == 0 ? this : new(Service * 1e6 / cables, Postgres * 1e6 / cables, Client * 1e6 / cables);

    private static double PostgresSeconds()
    {
        if (PostmasterPid <= 0)
            return 0;
        double total = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            var stat = ReadStat(pid);
            // Fields after the command name: ppid is [1].
            if (stat is { Comm: "postgres" } && (pid == PostmasterPid || stat.Value.Fields[1] == PostmasterPid.ToString()))
                total += Seconds(stat.Value.Fields, includeChildren: true);
        }
        return total;
    }

    private static double ProcessSeconds(int pid, bool includeChildren) =>
        ReadStat(pid) is { } stat ? Seconds(stat.Fields, includeChildren) : 0;

    // Fields after the command name: state is [0], utime [11], stime [12], cutime [13], cstime [14] (proc(5), 14-17).
    private static double Seconds(string[] fields, bool includeChildren) =>
        (long.Parse(fields[11]) + long.Parse(fields[12]) + (includeChildren ? long.Parse(fields[13]) + long.Parse(fields[14]) : 0)) / TicksPerSecond;

    private static (string Comm, string[] Fields)? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var open = text.IndexOf('(', StringComparison.Ordinal);
            var close = text.LastIndexOf(')');
            return (text[(open + 1)..close], text[(close + 2)..].Split(' '));
        }
        catch (IOException)
        {
            return null; // the process ended meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
