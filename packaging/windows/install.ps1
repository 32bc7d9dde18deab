<#
.SYNOPSIS
  Installs the twinrec agent or controller as a Windows service, wrapped by WinSW 2.x.

.DESCRIPTION
  Copies the WinSW executable you downloaded (WinSW-x64.exe from
  https://github.com/winsw/winsw/releases, checked against the SHA-256 published there) beside
  the service definition of the role, makes the data folder readable by the service account
  and Administrators only, installs the service and starts it. Run it in an elevated
  PowerShell on the recording-server host (agent) or the management host (controller).
  twinrec itself must already be in -InstallDir (npm ci --omit=dev && npm run build).

.EXAMPLE
  .\install.ps1 -Role agent -WinSW C:\Downloads\WinSW-x64.exe -WinSWSha256 <hash from the release page>
#>
[CmdletBinding()]
param(
  [Parameter(Mandatory)] [ValidateSet('agent', 'controller')] [string] $Role,
  [Parameter(Mandatory)] [string] $WinSW,
  [Parameter(Mandatory)] [ValidatePattern('^[0-9a-fA-F]{64}$')] [string] $WinSWSha256,
  [string] $InstallDir = (Join-Path $env:ProgramFiles 'twinrec'),
  [string] $DataDir = (Join-Path $env:ProgramData 'twinrec')
)
$ErrorActionPreference = 'Stop'

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  throw 'install.ps1 must run in an elevated PowerShell (Run as administrator).'
}
if (-not (Test-Path (Join-Path $InstallDir 'dist\cli\main.js'))) {
  throw "twinrec is not built in $InstallDir (dist\cli\main.js is missing): run npm ci --omit=dev and npm run build there first."
}
$actual = (Get-FileHash -Algorithm SHA256 -Path $WinSW).Hash
if ($actual -ne $WinSWSha256.ToUpperInvariant()) {
  throw "$WinSW has SHA-256 $actual, not the $WinSWSha256 you gave: download WinSW again from its release page."
}

$id = "twinrec-$Role"
$serviceDir = Join-Path $InstallDir 'service'
New-Item -ItemType Directory -Force -Path $serviceDir, $DataDir, (Join-Path $DataDir 'logs') | Out-Null
Copy-Item -Force $WinSW (Join-Path $serviceDir "$id.exe")
Copy-Item -Force (Join-Path $PSScriptRoot "$id.xml") (Join-Path $serviceDir "$id.xml")

# The data folder holds the database, keys and secrets: the service account and Administrators
# only, nothing inherited.
$account = if ($Role -eq 'agent') { 'NT AUTHORITY\SYSTEM' } else { 'NT AUTHORITY\LocalService' }
& icacls.exe $DataDir /inheritance:r /grant:r "${account}:(OI)(CI)F" 'BUILTIN\Administrators:(OI)(CI)F' | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls failed on $DataDir ($LASTEXITCODE)" }

$exe = Join-Path $serviceDir "$id.exe"
& $exe install
if ($LASTEXITCODE -ne 0) { throw "$id install failed ($LASTEXITCODE)" }
& $exe start
if ($LASTEXITCODE -ne 0) { throw "$id start failed ($LASTEXITCODE): see $DataDir\logs" }
Write-Host "$id installed and started; logs in $DataDir\logs."
