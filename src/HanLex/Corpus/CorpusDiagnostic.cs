namespace HanLex.Corpus;

public enum Severity { Warning, Error }

/// <summary>A problem found in a corpus file, located by 1-based line and column (in UTF-16 code units).</summary>
public sealed record CorpusDiagnostic(Severity Severity, string File, int Line, int Column, string Message)
{
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {(Severity == Severity.Error ? "error" : "warning")}: {Message}";
}

/// <summary>Thrown when a corpus file is malformed; <see cref="Diagnostic"/> says where and why.</summary>
public sealed class CorpusException(CorpusDiagnostic diagnostic) : Exception(diagnostic.ToString())
{
    public CorpusDiagnostic Diagnostic { get; } = diagnostic;
}
