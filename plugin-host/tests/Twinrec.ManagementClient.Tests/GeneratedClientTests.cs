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
}
