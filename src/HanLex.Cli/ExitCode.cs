namespace HanLex.Cli;

/// <summary>The documented exit codes of <c>hanlex</c>.</summary>
public enum ExitCode
{
    Ok = 0,
    /// <summary>The input (a corpus, a model, gold and predicted files) is malformed or cannot be read.</summary>
    BadInput = 1,
    /// <summary>The command line itself is wrong.</summary>
    Usage = 2,
    /// <summary>
    /// Standard output's reader stopped reading (<c>hanlex analyze BIG | head</c>): the command stops without a message,
    /// with the status a shell gives a process that SIGPIPE ended.
    /// </summary>
    OutputClosed = 141,
}
