using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Twinrec.ManagementClient.ViewModels;

/// <summary>Raises PropertyChanged when a property really changes, for WinForms data binding.</summary>
public abstract class ViewModelBase : INotifyPropertyChanged
{
    public event PropertyChangedEventHandler? PropertyChanged;

    protected bool Set<T>(ref T field, T value, [CallerMemberName] string? name = null)
    {
        if (EqualityComparer<T>.Default.Equals(field, value)) return false;
        field = value;
        PropertyChanged?.Invoke(this, new PropertyChangedEventArgs(name));
        return true;
    }
}
