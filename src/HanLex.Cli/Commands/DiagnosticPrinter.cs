using HanLex.Corpus;

namespace HanLex.Cli.Commands;

/// <summary>Prints corpus warnings to stderr, the first few in full and then a count, so nothing passes unsaid.</summary>
internal sealed class DiagnosticPrinter(TextWriter error, int limit = 20)
{
    public int Warnings { get; private set; }
    public int Errors { get; private set; }

    public void Report(CorpusDiagnostic d)
    {
        if (d.Severity == Severity.Error) Errors++; else Warnings++;
        if (Warnings + Errors <= limit) error.WriteLine(d);
    }

    /// <summary>Closing summary; also says how many sentences lenient mode skipped.</summary>
    public void Summarize(int skipped)
    {
        int hidden = Warnings + Errors - limit;
        if (hidden > 0) error.WriteLine($"hanlex: {hidden} more diagnostics not shown ({Warnings} warnings, {Errors} errors in all)");
        else if (Warnings > 0) error.WriteLine($"hanlex: {Warnings} warnings (whitespace normalized)");
        if (skipped > 0) error.WriteLine($"hanlex: {skipped} malformed sentences skipped (--lenient)");
    }
}
