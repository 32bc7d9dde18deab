// tsql-parse FILE: parses a T-SQL script (batches separated by GO) as SQL Server 2022 would,
// with QUOTED_IDENTIFIER on (SQL Server's default, and what TypeORM's "quoted" names need).
// Prints one JSON line: the batch and statement counts, each statement's type, and every syntax
// error with its line and column. Exit code 0 when the script parses, 1 when it does not, 2 on
// bad usage.
using System.Text.Json;
using Microsoft.SqlServer.TransactSql.ScriptDom;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: tsql-parse FILE");
    return 2;
}
string text;
try
{
    text = File.ReadAllText(args[0]);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"tsql-parse: cannot read {args[0]}: {e.Message}");
    return 2;
}

var parser = new TSql160Parser(initialQuotedIdentifiers: true);
using var reader = new StringReader(text);
var fragment = parser.Parse(reader, out IList<ParseError> errors);
var batches = (fragment as TSqlScript)?.Batches ?? [];
var result = new
{
    batches = batches.Count,
    statements = batches.Sum(b => b.Statements.Count),
    statementTypes = batches.SelectMany(b => b.Statements).Select(s => s.GetType().Name).ToArray(),
    errors = errors.Select(e => new { line = e.Line, column = e.Column, number = e.Number, message = e.Message }).ToArray(),
};
Console.WriteLine(JsonSerializer.Serialize(result));
return errors.Count == 0 ? 0 : 1;
