// netstandard2.0 lacks the marker type C# needs for records and init accessors; the compiler
// only needs it to exist (the usual polyfill).
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
