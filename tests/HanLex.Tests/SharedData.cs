namespace HanLex.Tests;

/// <summary>
/// Finds <c>../shared</c> beside the repository. Integration tests fail, never skip, when it is missing:
/// CI always has it, and a silent skip would hide a broken checkout.
/// </summary>
public static class SharedData
{
    public static string Root { get; } = Locate();

    public static string PathOf(string relative)
    {
        var path = Path.Combine(Root, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"shared data missing: {path}. Integration tests need ../shared beside the repo.", path);
        return path;
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HanLex.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (HanLex.sln) above " + AppContext.BaseDirectory);
    }

    private static string Locate()
    {
        var env = Environment.GetEnvironmentVariable("HANLEX_SHARED");
        var path = env ?? Path.GetFullPath(Path.Combine(FindRepoRoot(), "..", "shared"));
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"shared data missing: {path}. Integration tests need ../shared beside the repo (or HANLEX_SHARED).");
        return path;
    }
}
