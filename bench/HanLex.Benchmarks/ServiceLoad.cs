using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace HanLex.Benchmarks;

/// <summary>
/// A bounded load test of <c>hanlex serve</c> on loopback: the server runs as its own process (so its memory is its
/// own), clients send analyze requests, plus oversized and malformed ones that must get 413 and 400, and the run
/// stops by itself after the given number of requests. Prints latency percentiles, throughput, failures and the
/// server's resident memory over time.
/// </summary>
internal static class ServiceLoad
{
    /// <param name="hanlex">hanlex.dll, run by dotnet, or a native hanlex (from <c>dotnet publish src/HanLex.Cli</c>).</param>
    public static int Run(string hanlex, string rawText, int requests, int clients)
    {
        var texts = File.ReadAllLines(rawText).Where(l => l.Length > 0).ToArray();
        bool dll = hanlex.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(dll ? "dotnet" : hanlex) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (dll) start.ArgumentList.Add(hanlex);
        foreach (var a in new[] { "serve", "--urls", "http://127.0.0.1:0" }) start.ArgumentList.Add(a);
        using var server = Process.Start(start)!;
        try
        {
            string? url = null;
            while (url is null && server.StandardError.ReadLine() is { } line)
                if (Regex.Match(line, @"serving on (\S+)") is { Success: true } m) url = m.Groups[1].Value;
            if (url is null) throw new InvalidOperationException("the server did not start");
            _ = server.StandardError.ReadToEndAsync();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(url) };
            long rssStart = Rss(server.Id);
            var latencies = new double[requests];
            var wrong = new List<string>();
            int next = -1, kinds413 = 0, kinds400 = 0;
            var oversized = new string('中', 400_000); // 1.2 MB of UTF-8, over the 1 MB default limit
            var clock = Stopwatch.StartNew();
            var rssSamples = new List<(double Seconds, long Rss)>();
            using var sampler = new Timer(_ => { lock (rssSamples) rssSamples.Add((clock.Elapsed.TotalSeconds, Rss(server.Id))); }, null, 0, 1000);
            var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
            {
                for (int i; (i = Interlocked.Increment(ref next)) < requests;)
                {
                    HttpContent content;
                    HttpStatusCode expected;
                    switch (i % 50)
                    {
                        case 7:
                            content = new StringContent(oversized, Encoding.UTF8, "text/plain");
                            expected = HttpStatusCode.RequestEntityTooLarge;
                            Interlocked.Increment(ref kinds413);
                            break;
                        case 23:
                            content = new StringContent("{\"text\": \"没有结束", Encoding.UTF8, "application/json");
                            expected = HttpStatusCode.BadRequest;
                            Interlocked.Increment(ref kinds400);
                            break;
                        default:
                            var text = texts[i % texts.Length].Replace("\\", "\\\\").Replace("\"", "\\\"");
                            content = new StringContent($"{{\"text\": \"{text}\"}}", Encoding.UTF8, "application/json");
                            expected = HttpStatusCode.OK;
                            break;
                    }
                    var t = Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = await http.PostAsync("/v1/analyze", content);
                        await response.Content.ReadAsByteArrayAsync();
                        if (response.StatusCode != expected) lock (wrong) wrong.Add($"request {i}: {(int)response.StatusCode}, expected {(int)expected}");
                    }
                    catch (Exception e)
                    {
                        lock (wrong) wrong.Add($"request {i}: {e.GetType().Name}: {e.Message}");
                    }
                    latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                }
            })).ToArray();
            Task.WaitAll(workers);
            double seconds = clock.Elapsed.TotalSeconds;
            sampler.Dispose();
            bool healthy = http.GetAsync("/health").Result.IsSuccessStatusCode;
            Array.Sort(latencies);
            double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
            Console.WriteLine($"{requests:N0} requests from {clients} concurrent clients in {seconds:F1} s: {requests / seconds:N0} requests/s");
            Console.WriteLine($"  of which {kinds413:N0} oversized (expect 413) and {kinds400:N0} malformed JSON (expect 400)");
            Console.WriteLine($"  latency ms: p50 {P(0.50):F1}  p90 {P(0.90):F1}  p99 {P(0.99):F1}  max {latencies[^1]:F1}");
            Console.WriteLine($"  failed or unexpected: {wrong.Count}{(wrong.Count > 0 ? " — " + string.Join("; ", wrong.Take(5)) : "")}");
            Console.WriteLine($"  server still healthy: {healthy}");
            List<(double Seconds, long Rss)> samples;
            lock (rssSamples) samples = rssSamples.ToList();
            Console.WriteLine($"  server resident memory MB: start {rssStart / 1e6:F0}, " +
                              string.Join(", ", samples.Where((_, k) => k % Math.Max(1, samples.Count / 6) == 0).Select(s => $"{s.Seconds:F0}s {s.Rss / 1e6:F0}")) +
                              $", end {Rss(server.Id) / 1e6:F0}");
            return wrong.Count == 0 && healthy ? 0 : 1;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }
}
