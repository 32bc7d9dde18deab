using System.IO;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Twinrec.ManagementClient.Generator;
using Xunit;

namespace Twinrec.ManagementClient.Tests;

public class GeneratedClientTests
{
    [Fact]
    public async Task The_committed_client_is_what_NSwag_makes_from_the_current_OpenAPI_document()
    {
        var root = OpenApiDocumentSource.FindRepositoryRoot(System.AppContext.BaseDirectory);
        var expected = await ClientGenerator.GenerateAsync(await OpenApiDocumentSource.ReadAsync(root));
        var committed = await File.ReadAllTextAsync(Path.Combine(root, ClientGenerator.OutputPath));
        Assert.True(expected == committed, $"{ClientGenerator.OutputPath} is stale: run {ClientGenerator.RegenerateCommand} and commit it");
    }

    [Fact]
    public void Nullable_unions_of_OpenAPI_31_become_nullable_schemas()
    {
        var document = JsonNode.Parse("""
            {"openapi":"3.1.0","components":{"schemas":{"A":{"type":"object","properties":{
              "id":{"anyOf":[{"type":"string","format":"uuid"},{"type":"null"}],"description":"d"},
              "ref":{"anyOf":[{"$ref":"#/components/schemas/B"},{"type":"null"}]},
              "n":{"type":["number","null"]},
              "k":{"const":"x"}}}}}}
            """)!.AsObject();
        OpenApi31To30.Rewrite(document);
        var props = document["components"]!["schemas"]!["A"]!["properties"]!;
        Assert.Equal("3.0.3", (string?)document["openapi"]);
        Assert.Equal("""{"description":"d","type":"string","format":"uuid","nullable":true}""", props["id"]!.ToJsonString());
        Assert.Equal("""{"allOf":[{"$ref":"#/components/schemas/B"}],"nullable":true}""", props["ref"]!.ToJsonString());
        Assert.Equal("""{"type":"number","nullable":true}""", props["n"]!.ToJsonString());
        Assert.Equal("""{"enum":["x"]}""", props["k"]!.ToJsonString());
    }

    [Fact]
    public void A_backfill_past_2_GB_reads_back_whole()
    {
        // Unbounded integers are int64 in the document (api/src/http/openapi.ts), so NSwag types them long.
        var json = """
            {"mode":"enabled","state":"running","reason":null,"auditedAt":null,"retentionMinutes":null,"completeSinceAt":null,
             "missingSeconds":3600,"placeholderSeconds":0,"camerasAffected":1,"cameras":[],"bytesDone":5000000000,"bytesTotal":6000000000,
             "blocksDone":500,"blocksTotal":600,"rateBytesPerSecond":200000000,"etaSeconds":5,"startedAt":null}
            """;
        var status = Newtonsoft.Json.JsonConvert.DeserializeObject<Twinrec.ManagementClient.Api.BackfillStatus>(json)!;
        Assert.Equal(5_000_000_000L, status.BytesDone);
        Assert.Equal(6_000_000_000L, status.BytesTotal);
    }
}
