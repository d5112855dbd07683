using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HanLex.Corpus;

namespace HanLex.Tests.Server;

public sealed class AnalysisServiceTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private HttpClient Client => service.Client;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
    private static StringContent Plain(string text) => new(text, Encoding.UTF8, "text/plain");

    [Fact]
    public async Task Health_answers_ok_with_the_model()
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync("/health"));
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("tiny test corpus", doc.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Json_text_gets_the_same_words_tags_offsets_and_compounds_as_the_library()
    {
        const string text = "湖北省环保厅近日下发通知。";
        var response = await Client.PostAsync("/v1/analyze", Json($$"""{"text": "{{text}}"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var sentence = Assert.Single(doc.RootElement.GetProperty("sentences").EnumerateArray());
        var expected = service.Analyzer.Analyze(text);
        var words = sentence.GetProperty("words").EnumerateArray().ToList();
        Assert.Equal(expected.Words.Select(w => (w.Text, w.Tag, w.Offset, w.End)),
            words.Select(w => (w.GetProperty("text").GetString()!, w.GetProperty("tag").GetString(), w.GetProperty("start").GetInt32(), w.GetProperty("end").GetInt32())));
        var compound = Assert.Single(sentence.GetProperty("compounds").EnumerateArray());
        Assert.Equal("nt", compound.GetProperty("label").GetString());
        Assert.Equal("湖北省环保厅", compound.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Texts_come_back_in_request_order()
    {
        string[] texts = ["我们今天去北京。", "", "王芳是学生。"];
        var response = await Client.PostAsync("/v1/segment", Json(JsonSerializer.Serialize(new { texts })));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var got = doc.RootElement.GetProperty("sentences").EnumerateArray().Select(s => s.GetProperty("text").GetString()).ToArray();
        Assert.Equal(texts, got);
    }

    [Fact]
    public async Task Plain_text_in_and_accepted_gives_one_people_daily_line_per_input_line()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/analyze") { Content = Plain("湖北省环保厅近日下发通知。\r\n\n我们今天去北京。\n") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        var response = await Client.SendAsync(request);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var expected = PeopleDailyWriter.Format(service.Analyzer.Analyze("湖北省环保厅近日下发通知。")) + "\n\n"
            + PeopleDailyWriter.Format(service.Analyzer.Analyze("我们今天去北京。")) + "\n";
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Json_is_preferred_when_the_client_accepts_both()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/segment") { Content = Plain("我们今天去北京。") };
        request.Headers.Accept.ParseAdd("text/plain;q=0.5, application/json");
        var response = await Client.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"text\": ", "Malformed JSON")]
    [InlineData("[1, 2]", "Malformed JSON")]
    [InlineData("{\"texts\": [\"a\", null]}", "texts[1] is null")]
    [InlineData("{}", "expected an object")]
    [InlineData("null", "got null")]
    public async Task Malformed_json_gets_400_with_a_message(string body, string message)
    {
        var response = await Client.PostAsync("/v1/analyze", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invalid_utf8_gets_400()
    {
        var content = new ByteArrayContent([0xE4, 0xBD, 0x41, 0xFF]);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var response = await Client.PostAsync("/v1/segment", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid UTF-8", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unsupported_media_type_gets_415()
    {
        var response = await Client.PostAsync("/v1/segment", new StringContent("<p/>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_with_or_without_a_length()
    {
        var big = new string('北', (int)ServiceFixture.Limits.MaxRequestBytes);
        var sized = await Client.PostAsync("/v1/segment", Plain(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        // Chunked: no Content-Length, so the limit is found while reading.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/segment") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/v1/segment", Plain("我们"))).StatusCode);
    }

    [Fact]
    public async Task Too_many_texts_gets_413()
    {
        var texts = Enumerable.Repeat("我们", ServiceFixture.Limits.MaxTexts + 1).ToArray();
        var response = await Client.PostAsync("/v1/segment", Json(JsonSerializer.Serialize(new { texts })));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Too many texts", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_description_lists_the_endpoints()
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/analyze", out _));
        Assert.True(paths.TryGetProperty("/v1/segment", out _));
        Assert.True(paths.TryGetProperty("/health", out _));
    }
}
