// Stub of UnityEngine.ContextMenu (Unity 2021.3 signature). Test scaffolding only.
using System;

namespace UnityEngine
{
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public sealed class ContextMenu : Attribute
    {
        public ContextMenu(string itemName) => menuItem = itemName;

        public readonly string menuItem;
    }
}
