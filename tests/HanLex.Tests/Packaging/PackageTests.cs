namespace HanLex.Tests.Packaging;

/// <summary>
/// Packs the solution, then installs the packages from a local folder feed into a fresh console project and a fresh
/// tool manifest and runs both, so a file missing from a package fails here rather than for a user. Packages are
/// restored into a private folder, so nothing cached from an earlier run can hide a missing file.
/// </summary>
[Collection(DotnetBuilds.Name)]
public sealed class PackageTests
{
    private const string Sentence = "湖北省环保厅和省公安消防总队联合下发通知";
    private const string Analyzed = "[湖北省/ns 环保厅/n]/nt 和/c 省/n 公安/n 消防/b 总队/n 联合/v 下发/v 通知/n";

    [Fact]
    public void Packed_library_model_lucene_and_tool_install_and_run_from_a_local_feed()
    {
        var work = Directory.CreateTempSubdirectory("hanlex-pack-").FullName;
        try
        {
            var feed = Path.Combine(work, "feed");
            // The tool's native package is compiled ahead of time: minutes, not seconds.
            var pack = ProcessRunner.Run("dotnet", ["pack", Path.Combine(SharedData.RepoRoot, "HanLex.sln"), "-c", "Release", "-o", feed], SharedData.RepoRoot,
                timeout: TimeSpan.FromMinutes(15));
            Assert.True(pack.ExitCode == 0, pack.ToString());
            var version = typeof(HanLex.Models.ModelInfo).Assembly.GetName().Version!.ToString(3);
            // HanLex.Tool only points to its packages per runtime: the native program for linux-x64, and the command
            // under the JIT for any other platform.
            foreach (var id in new[] { "HanLex", "HanLex.Models.Default", "HanLex.Server", "HanLex.Tool.linux-x64", "HanLex.Tool.any" })
            {
                Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.nupkg")), $"{id} was not packed");
                Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.snupkg")), $"{id} has no symbols package");
            }
            Assert.True(File.Exists(Path.Combine(feed, $"HanLex.Tool.{version}.nupkg")), "HanLex.Tool was not packed");
            Assert.True(File.Exists(Path.Combine(feed, $"HanLex.Lucene.{version}-beta.nupkg")));

            // A private package folder and CLI home: dotnet caches where each local tool lives, and a cache entry left by an
            // earlier run would point into a folder since deleted.
            var env = new Dictionary<string, string>
            {
                ["NUGET_PACKAGES"] = Path.Combine(work, "packages"),
                ["DOTNET_CLI_HOME"] = Path.Combine(work, "home"),
            };
            var app = Path.Combine(work, "app");
            Directory.CreateDirectory(app);
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="hanlex-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="HanLex" Version="{version}" />
                    <PackageReference Include="HanLex.Models.Default" Version="{version}" />
                    <PackageReference Include="HanLex.Lucene" Version="{version}-beta" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using HanLex.Corpus;
                using HanLex.Lucene;
                using HanLex.Models;
                using Lucene.Net.Analysis.TokenAttributes;

                var analyzer = DefaultModel.LoadAnalyzer();
                Console.WriteLine(PeopleDailyWriter.Format(analyzer.Analyze(args[0])));
                using var lucene = new HanLexAnalyzer(analyzer);
                using var stream = lucene.GetTokenStream("body", new StringReader(args[0]));
                var term = stream.AddAttribute<ICharTermAttribute>();
                stream.Reset();
                var terms = new List<string>();
                while (stream.IncrementToken()) terms.Add(term.ToString());
                stream.End();
                Console.WriteLine(string.Join('|', terms));
                """);
            var run = ProcessRunner.Run("dotnet", ["run", "--", Sentence], app, env);
            Assert.True(run.ExitCode == 0, run.ToString());
            var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Analyzed, lines[0]);
            Assert.Equal("湖北省|环保厅|和|省|公安|消防|总队|联合|下发|通知", lines[1]);

            var tools = Path.Combine(work, "tools");
            Directory.CreateDirectory(Path.Combine(tools, ".config"));
            File.WriteAllText(Path.Combine(tools, ".config", "dotnet-tools.json"), """{ "version": 1, "isRoot": true, "tools": {} }""");
            var install = ProcessRunner.Run("dotnet", ["tool", "install", "--local", "HanLex.Tool", "--version", version, "--add-source", feed], tools, env);
            Assert.True(install.ExitCode == 0, install.ToString());
            var tool = ProcessRunner.Run("dotnet", ["tool", "run", "hanlex", "segment"], tools, env, stdin: System.Text.Encoding.UTF8.GetBytes(Sentence + "\n\n我们\n"));
            Assert.True(tool.ExitCode == 0, tool.ToString());
            Assert.Equal("湖北省 环保厅 和 省 公安 消防 总队 联合 下发 通知\n\n我们\n", tool.Out);
            // This machine is linux-x64, so the tool installed is the native one.
            var native = Path.Combine(work, "packages", "hanlex.tool.linux-x64", version, "tools", "any", "linux-x64", "hanlex");
            Assert.True(File.Exists(native), "the native hanlex was not installed");
            Assert.False(Directory.Exists(Path.Combine(work, "packages", "hanlex.tool.any")), "the JIT package was installed on linux-x64");

            // The package every other platform gets: installed here by its own id, since linux-x64 picks the native one.
            var jitTools = Path.Combine(work, "jit-tools");
            install = ProcessRunner.Run("dotnet", ["tool", "install", "--tool-path", jitTools, "HanLex.Tool.any", "--version", version, "--add-source", feed], work, env);
            Assert.True(install.ExitCode == 0, install.ToString());
            var jit = ProcessRunner.Run(Path.Combine(jitTools, "hanlex"), ["analyze", "--text", Sentence], work, env);
            Assert.True(jit.ExitCode == 0, jit.ToString());
            Assert.Equal(Analyzed + "\n", jit.Out);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
