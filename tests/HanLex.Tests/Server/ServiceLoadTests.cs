using System.Net;
using System.Text;
using HanLex.Tests.Analysis;

namespace HanLex.Tests.Server;

/// <summary>
/// A bounded loopback load: 32 clients, good requests mixed with oversized and malformed ones. Every request gets its
/// expected answer and the service stays up. (The 20,000-request run with latencies and memory is
/// <c>bench/HanLex.Benchmarks serve-load</c>; tests assert no timings.)
/// </summary>
public sealed class ServiceLoadTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Two_thousand_requests_from_32_clients_all_get_their_expected_answer()
    {
        const int requests = 2000, clients = 32;
        var texts = TinyModel.Sentences.Select(s => s.Text).ToArray();
        var oversized = new string('中', (int)ServiceFixture.Limits.MaxRequestBytes / 2);
        var wrong = new List<string>();
        int next = -1;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = service.Client.BaseAddress };
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < requests;)
            {
                var (content, expected) = (i % 20) switch
                {
                    3 => (new StringContent(oversized, Encoding.UTF8, "text/plain"), HttpStatusCode.RequestEntityTooLarge),
                    11 => (new StringContent("{\"texts\": [", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest),
                    _ => (new StringContent(texts[i % texts.Length], Encoding.UTF8, "text/plain"), HttpStatusCode.OK),
                };
                try
                {
                    using var response = await http.PostAsync(i % 2 == 0 ? "/v1/analyze" : "/v1/segment", content);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != expected || expected == HttpStatusCode.OK && !body.Contains("\"words\""))
                        lock (wrong) wrong.Add($"{i}: {(int)response.StatusCode} {body[..Math.Min(80, body.Length)]}");
                }
                catch (HttpRequestException e)
                {
                    lock (wrong) wrong.Add($"{i}: {e.Message}");
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        Assert.Empty(wrong);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }
}
