using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cables.Cli.Tests.Chaos;

/// <summary>The service as a process of its own (<c>dotnet CableService.dll</c>, built beside the tests), to be killed with SIGKILL.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly string _connectionString;
    private Process? _process;

    public ServiceProcess(string connectionString)
    {
        _connectionString = connectionString;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }

    /// <summary>The same address across restarts, as a restarted server looks to its clients.</summary>
    public Uri Address { get; }

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CableService.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(Address.ToString().TrimEnd('/'));
        info.Environment["CABLES_DATABASE"] = _connectionString;
        info.Environment["Cables__MigrateOnStart"] = "false";
        info.Environment["Cables__Tokens__SigningKey"] = Convert.ToBase64String(new byte[32]);
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var connection = CablesConnection.Open(Address);
                await connection.Client.CountCablesAsync(new Cables.Api.V1.CountCablesRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                return;
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>SIGKILL: no shutdown, no drain, as a crash or the OOM killer ends it.</summary>
    public async Task KillAsync()
    {
        _process!.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
    }
}
