namespace Cables.Bench.Load;

/// <summary>A process's resident memory as Linux reports it in /proc/PID/status (VmRSS now, VmHWM its peak so far), in bytes.</summary>
public static class ProcessMemory
{
    public static (long Rss, long HighWater) Read(int pid)
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = Kilobytes(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                hwm = Kilobytes(line);
        }
        return (rss, hwm);
    }

    // "VmRSS:	  123456 kB"
    private static long Kilobytes(string line) => long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim()) * 1024;
}
