using System.Text;
using HanLex.Cli;

namespace HanLex.Tests.Cli;

/// <summary>Runs hanlex in memory and captures what it prints.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result RunWithInput(string stdin, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var console = new CliConsole(output, error, () => new MemoryStream(Encoding.UTF8.GetBytes(stdin)));
        int code = CliApp.Run(args, console);
        return new Result(code, output.ToString(), error.ToString());
    }

    public static Result Run(params string[] args) => RunWithInput("", args);
}
