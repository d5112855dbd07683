namespace HanLex.Cli;

/// <summary>The documented exit codes of <c>hanlex</c>.</summary>
public enum ExitCode
{
    Ok = 0,
    /// <summary>The input (a corpus, a model, gold and predicted files) is malformed or cannot be read.</summary>
    BadInput = 1,
    /// <summary>The command line itself is wrong.</summary>
    Usage = 2,
}
