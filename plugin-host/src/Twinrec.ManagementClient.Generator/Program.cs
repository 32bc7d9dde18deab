using System;
using System.IO;
using Twinrec.ManagementClient.Generator;

// dotnet run --project plugin-host/src/Twinrec.ManagementClient.Generator [-- --check]
var root = OpenApiDocumentSource.FindRepositoryRoot(Directory.GetCurrentDirectory());
var code = await ClientGenerator.GenerateAsync(await OpenApiDocumentSource.ReadAsync(root));
var path = Path.Combine(root, ClientGenerator.OutputPath);
if (args.Length > 0 && args[0] == "--check")
{
    var stale = !File.Exists(path) || File.ReadAllText(path) != code;
    Console.WriteLine(stale ? $"{ClientGenerator.OutputPath} is stale: run {ClientGenerator.RegenerateCommand}" : $"{ClientGenerator.OutputPath} is current");
    return stale ? 1 : 0;
}
Directory.CreateDirectory(Path.GetDirectoryName(path)!);
File.WriteAllText(path, code);
Console.WriteLine($"wrote {ClientGenerator.OutputPath} ({code.Length} characters)");
return 0;
