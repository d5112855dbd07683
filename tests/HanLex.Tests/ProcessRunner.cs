using System.Diagnostics;

namespace HanLex.Tests;

/// <summary>Runs a real process (dotnet, the packed tool, hanlex itself) and captures its output, failing on a hang.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
    }

    /// <summary>The hanlex tool built beside the tests.</summary>
    public static string Hanlex => Path.Combine(AppContext.BaseDirectory, "hanlex.dll");

    public static Result Run(string file, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, byte[]? stdin = null, TimeSpan? timeout = null)
    {
        using var process = Start(file, args, workingDirectory, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts the process and kills it (the whole tree, at once, as a crash or kill -9 would) after a delay.</summary>
    public static void RunAndKill(string file, IEnumerable<string> args, TimeSpan after)
    {
        using var process = Start(file, args, AppContext.BaseDirectory, null);
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(after)) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Starts the process with its standard streams redirected; the caller reads them and ends it.</summary>
    public static Process Start(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        return Process.Start(info)!;
    }
}
