using System;

namespace Twinrec.Bridge;

/// <summary>A request the bridge refuses before sending anything (bad JSON, a missing field).</summary>
public sealed class BridgeInputException(string message) : Exception(message);

/// <summary>
/// A VMS call that failed: `Reason` is short and safe to log (never a password or a token).
/// </summary>
public sealed class VmsCallException(string operation, string reason, Exception? inner = null)
    : Exception($"{operation} failed: {reason}", inner)
{
    public string Operation { get; } = operation;
    public string Reason { get; } = reason;
}
