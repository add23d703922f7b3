#Requires -Version 5.1
#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Set up a Windows 10/11 PC or tablet as the clinic's waiting-room kiosk.

.DESCRIPTION
    Run once as an administrator, in 64-bit Windows PowerShell 5.1, after the
    kiosk is installed in C:\clinic-kiosk (docs/deploy.md, "Windows"). Keep
    kiosk-launch.pyw and kiosk-keepalive.pyw next to this script. It:

      1. creates the local STANDARD user "kiosk", or resets its password
         (asked here; nobody needs to remember it);
      2. limits what that user's Ctrl+Alt+Del screen offers (no Task Manager,
         no lock, no password change, no shut down, no sign out) and, for
         everybody, hides "Switch user";                         [all editions]
      3. turns off edge swipes, sleep, screen blanking and the power button;
                                                                 [all editions]
      4. sets up automatic sign-in of "kiosk": with Sysinternals Autologon if
         Autologon64.exe / Autologon.exe is next to this script (password kept
         as an encrypted LSA secret), or, only with -UseRegistryAutoLogon,
         with the plain-text Winlogon registry values;           [all editions]
      5. makes the kiosk that user's shell:
           Shell Launcher (explorer.exe replaced by the kiosk for "kiosk"
           only; administrators and everybody else keep explorer.exe; the
           kiosk is restarted whenever it exits, except with status 75:
           "Leave kiosk mode", after which kiosk-launch.pyw signs "kiosk" out).
                            [Enterprise, Education, IoT Enterprise ONLY]
           Otherwise a scheduled task at the logon of "kiosk" that starts the
           kiosk and restarts it 2 s after it exits (until "Leave kiosk mode"),
           over the normal desktop.
                            [Pro fallback: weaker, see docs/deploy.md]
      6. with -EnableKeyboardFilter, blocks Ctrl+Alt+Del, Win, Alt+Tab and
         similar keys for non-administrators with Keyboard Filter.
                            [Enterprise, Education, IoT Enterprise ONLY]

    Windows Home has none of these and cannot be used as a kiosk.
    Turning on Shell Launcher or Keyboard Filter may need a restart; the
    script says so, and is then run again (it can be run any number of times).

    Automatic sign-in happens when Windows starts, not after a sign-out: after
    "Leave kiosk mode" the sign-in screen stays until the next restart, or
    until someone signs in as "kiosk" with its password (keep it).
    To service the machine later: "Leave kiosk mode" in the staff panel, or
    hold Shift while Windows starts (this skips automatic sign-in); then sign
    in as an administrator.

.PARAMETER KioskUser
    Name of the kiosk account. Default: kiosk.

.PARAMETER InstallDir
    Folder holding the kiosk's virtual environment (.venv). Default: C:\clinic-kiosk.

.PARAMETER KioskArguments
    Arguments for the kiosk. Default: run. Example: 'run --content D:\kiosk-content'.

.PARAMETER Mode
    Auto (default): Shell Launcher where the edition has it, else the scheduled task.
    ShellLauncher: Shell Launcher configured through WMI (WESL_UserSetting).
    ShellLauncherV2: Shell Launcher v2 through the MDM Bridge (AssignedAccess CSP);
                     must run as SYSTEM (psexec.exe -i -s powershell.exe).
    ScheduledTask: the Pro fallback, on any edition.

.PARAMETER UseRegistryAutoLogon
    Store the kiosk password in PLAIN TEXT in
    HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon\DefaultPassword,
    readable by every local user. Only when Sysinternals Autologon cannot be used.

.PARAMETER EnableKeyboardFilter
    Turn on Keyboard Filter and block system key combinations.

.PARAMETER UseKioskExe
    Use "kiosk.exe run" as the shell instead of pythonw.exe + kiosk-launch.pyw.
    kiosk.exe is a console program: Windows opens a console window behind the
    kiosk, and closing it kills the kiosk. Nothing then signs the kiosk user
    out after "Leave kiosk mode": Shell Launcher restarts the kiosk instead.
    Not recommended.

.EXAMPLE
    powershell.exe -ExecutionPolicy Bypass -File .\install-kiosk.ps1

.EXAMPLE
    powershell.exe -ExecutionPolicy Bypass -File .\install-kiosk.ps1 -EnableKeyboardFilter -KioskArguments 'run --content C:\kiosk-content'
#>
[CmdletBinding()]
param(
    [string] $KioskUser = 'kiosk',
    [string] $InstallDir = 'C:\clinic-kiosk',
    [string] $KioskArguments = 'run',
    [ValidateSet('Auto', 'ShellLauncher', 'ShellLauncherV2', 'ScheduledTask')]
    [string] $Mode = 'Auto',
    [switch] $UseRegistryAutoLogon,
    [switch] $EnableKeyboardFilter,
    [switch] $UseKioskExe
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'

# Well-known SIDs: the same on every Windows, whatever its display language.
$SidAdministrators = 'S-1-5-32-544'
$SidUsers = 'S-1-5-32-545'
$SidSystem = 'S-1-5-18'

$EmbeddedNamespace = 'root\standardcimv2\embedded'
$TaskName = 'Clinic kiosk'
$WinlogonKey = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon'
$script:RestartNeeded = $false

function Write-Step([string] $Text) {
    Write-Host ''
    Write-Host "== $Text" -ForegroundColor Cyan
}

function Set-RegistryValue([string] $Key, [string] $Name, $Value, [string] $Type = 'DWord') {
    if (-not (Test-Path -LiteralPath $Key)) {
        New-Item -Path $Key -Force | Out-Null
    }
    New-ItemProperty -LiteralPath $Key -Name $Name -PropertyType $Type -Value $Value -Force | Out-Null
}

function ConvertTo-PlainText([securestring] $Secure) {
    $bstr = [Runtime.InteropServices.Marshal]::SecureStringToBSTR($Secure)
    try {
        return [Runtime.InteropServices.Marshal]::PtrToStringBSTR($bstr)
    } finally {
        [Runtime.InteropServices.Marshal]::ZeroFreeBSTR($bstr)
    }
}

function Format-Argument([string] $Path) {
    # Quote a path only when it needs it (a space in it).
    if ($Path -match '\s') { return '"' + $Path + '"' }
    return $Path
}

function Get-OptionalFeatureOrNull([string] $Name) {
    # $null where this edition of Windows does not have the feature at all.
    try {
        return Get-WindowsOptionalFeature -Online -FeatureName $Name -ErrorAction Stop
    } catch {
        return $null
    }
}

function Enable-OptionalFeature([string] $Name) {
    $feature = Get-OptionalFeatureOrNull $Name
    if ($null -eq $feature) { return $false }
    if ($feature.State -ne 'Enabled') {
        Write-Host "Turning on the Windows feature $Name ..."
        $result = Enable-WindowsOptionalFeature -Online -FeatureName $Name -All -NoRestart
        if ($result.RestartNeeded) { $script:RestartNeeded = $true }
    }
    return $true
}

# ---------------------------------------------------------------------------
# 0. Checks and files
# ---------------------------------------------------------------------------
Write-Step 'Checks'

if ([Environment]::Is64BitOperatingSystem -and -not [Environment]::Is64BitProcess) {
    throw 'Run this in the 64-bit Windows PowerShell (the LocalAccounts module is 64-bit only).'
}

$venvScripts = Join-Path $InstallDir '.venv\Scripts'
$pythonw = Join-Path $venvScripts 'pythonw.exe'
$kioskExe = Join-Path $venvScripts 'kiosk.exe'
if (-not (Test-Path -LiteralPath $pythonw) -or -not (Test-Path -LiteralPath $kioskExe)) {
    throw "The kiosk is not installed in $InstallDir (missing $pythonw or $kioskExe). See docs/deploy.md."
}

# The virtual environment runs the Python it was made from; the kiosk user
# must be able to run that Python, so it must not live in an admin's profile.
$pyvenvCfg = Join-Path $InstallDir '.venv\pyvenv.cfg'
if (Test-Path -LiteralPath $pyvenvCfg) {
    $homeLine = Select-String -LiteralPath $pyvenvCfg -Pattern '^\s*home\s*=\s*(.+)$' | Select-Object -First 1
    if ($homeLine -and $homeLine.Matches[0].Groups[1].Value -like "$env:SystemDrive\Users\*") {
        Write-Warning (("The kiosk's Python is in a user profile ({0}). Install Python 'for all users' " +
            '(under C:\Program Files), recreate the .venv and run this again.') -f $homeLine.Matches[0].Groups[1].Value)
    }
}

foreach ($file in 'kiosk-launch.pyw', 'kiosk-keepalive.pyw') {
    $source = Join-Path $PSScriptRoot $file
    if (-not (Test-Path -LiteralPath $source)) { throw "$file must be next to this script." }
    Copy-Item -LiteralPath $source -Destination (Join-Path $InstallDir $file) -Force
}

# Program folder: administrators and SYSTEM change it, users only read and run
# it. (Folders made under C:\ otherwise let every signed-in user modify them.)
& icacls.exe $InstallDir /inheritance:r /grant:r "*${SidAdministrators}:(OI)(CI)F" "*${SidSystem}:(OI)(CI)F" "*${SidUsers}:(OI)(CI)RX" /C /Q | Out-Null
if ($LASTEXITCODE -ne 0) { Write-Warning "icacls could not restrict $InstallDir (exit $LASTEXITCODE)." }
& icacls.exe (Join-Path $InstallDir '*') /reset /T /C /Q | Out-Null
if ($LASTEXITCODE -ne 0) { Write-Warning "icacls could not reset the permissions below $InstallDir (exit $LASTEXITCODE)." }

if ($UseKioskExe) {
    $KioskCommand = (Format-Argument $kioskExe) + ' ' + $KioskArguments
} else {
    $KioskCommand = (Format-Argument $pythonw) + ' ' + (Format-Argument (Join-Path $InstallDir 'kiosk-launch.pyw')) + ' ' + $KioskArguments
}
$KeepAliveArguments = (Format-Argument (Join-Path $InstallDir 'kiosk-keepalive.pyw')) + ' ' + $KioskArguments
Write-Host "Kiosk command: $KioskCommand"

if ($Mode -eq 'Auto') {
    if ($null -ne (Get-OptionalFeatureOrNull 'Client-EmbeddedShellLauncher')) { $Mode = 'ShellLauncher' } else { $Mode = 'ScheduledTask' }
}
Write-Host "Mode: $Mode"
if ($Mode -eq 'ShellLauncherV2' -and -not [Security.Principal.WindowsIdentity]::GetCurrent().IsSystem) {
    throw 'Shell Launcher v2 is applied through the MDM Bridge, which only works as SYSTEM: run this script from "psexec.exe -i -s powershell.exe", or use -Mode ShellLauncher.'
}

# ---------------------------------------------------------------------------
# 1. The kiosk account: a local standard user                   [all editions]
# ---------------------------------------------------------------------------
Write-Step "Kiosk account '$KioskUser'"

$password = Read-Host -AsSecureString "New password for '$KioskUser' (long and random; it is only used by automatic sign-in)"
$again = Read-Host -AsSecureString 'The same password again'
$plainPassword = ConvertTo-PlainText $password
if ($plainPassword.Length -eq 0) { throw 'An empty password is not allowed.' }
if ($plainPassword -cne (ConvertTo-PlainText $again)) { throw 'The two passwords differ.' }

$user = Get-LocalUser -Name $KioskUser -ErrorAction SilentlyContinue
if ($null -eq $user) {
    New-LocalUser -Name $KioskUser -Password $password -FullName 'Clinic kiosk' `
        -Description 'Waiting-room kiosk; signs in automatically' `
        -PasswordNeverExpires -UserMayNotChangePassword -AccountNeverExpires | Out-Null
    Write-Host "Created the local user '$KioskUser'."
} else {
    Set-LocalUser -Name $KioskUser -Password $password -PasswordNeverExpires $true -UserMayChangePassword $false -AccountNeverExpires
    Enable-LocalUser -Name $KioskUser
    Write-Host "The user '$KioskUser' exists: password reset."
}
$KioskSid = (Get-LocalUser -Name $KioskUser).SID.Value

# New-LocalUser puts the account in no group; "Users" gives it the right to
# sign in at the screen.
try {
    Add-LocalGroupMember -SID $SidUsers -Member $KioskSid -ErrorAction Stop
} catch [Microsoft.PowerShell.Commands.MemberExistsException] {
    # already a member
}

$adminSids = @()
try {
    $adminSids = @(Get-LocalGroupMember -SID $SidAdministrators -ErrorAction Stop | ForEach-Object { $_.SID.Value })
} catch {
    # Get-LocalGroupMember fails on groups holding orphaned or cloud accounts.
    Write-Warning 'Could not read the Administrators group; check by hand that the kiosk user is not in it.'
}
if ($adminSids -contains $KioskSid) {
    throw "'$KioskUser' is an administrator. The kiosk account must be a standard user: remove it from Administrators and run this again."
}

# ---------------------------------------------------------------------------
# 2. What Ctrl+Alt+Del offers the kiosk user                     [all editions]
# ---------------------------------------------------------------------------
Write-Step 'Ctrl+Alt+Del screen of the kiosk user'

# The user's registry hive exists once its profile does; create the profile
# now (as Windows would at the first sign-in) so the settings can be written.
Add-Type -Namespace ClinicKiosk -Name UserEnv -MemberDefinition @'
[DllImport("userenv.dll", CharSet = CharSet.Unicode)]
public static extern int CreateProfile(string pszUserSid, string pszUserName,
    System.Text.StringBuilder pszProfilePath, uint cchProfilePath);
'@
$profilePathBuffer = New-Object System.Text.StringBuilder 260
$hr = [ClinicKiosk.UserEnv]::CreateProfile($KioskSid, $KioskUser, $profilePathBuffer, 260)
$alreadyExists = -2147024713   # HRESULT_FROM_WIN32(ERROR_ALREADY_EXISTS)
if ($hr -ne 0 -and $hr -ne $alreadyExists) {
    Write-Warning ('CreateProfile failed (0x{0:X8}).' -f $hr)
}

$userProfile = Get-CimInstance -ClassName Win32_UserProfile -Filter "SID='$KioskSid'"
if ($null -eq $userProfile) {
    Write-Warning "No profile for '$KioskUser' yet: sign in once as '$KioskUser', restart, and run this script again to apply these settings."
} else {
    $hiveRoot = "Registry::HKEY_USERS\$KioskSid"
    $loadedHere = $false
    if (-not (Test-Path -LiteralPath $hiveRoot)) {
        & reg.exe load 'HKU\ClinicKioskSetup' (Join-Path $userProfile.LocalPath 'NTUSER.DAT') | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "Could not load the registry of '$KioskUser' (is it signed in?)." }
        $hiveRoot = 'Registry::HKEY_USERS\ClinicKioskSetup'
        $loadedHere = $true
    }
    try {
        $system = "$hiveRoot\Software\Microsoft\Windows\CurrentVersion\Policies\System"
        $explorer = "$hiveRoot\Software\Microsoft\Windows\CurrentVersion\Policies\Explorer"
        Set-RegistryValue $system 'DisableTaskMgr' 1          # no Task Manager ("Run new task" opens anything)
        Set-RegistryValue $system 'DisableLockWorkstation' 1  # a locked kiosk needs the password
        Set-RegistryValue $system 'DisableChangePassword' 1   # a changed password breaks auto sign-in
        Set-RegistryValue $explorer 'NoClose' 1               # no Shut down / Restart / Sleep
        # No Sign out (Ctrl+Alt+Del screen, Start menu): a sign-out leaves the
        # sign-in screen until the next restart (no ForceAutoLogon, step 4).
        # "Leave kiosk mode" signs out through the ExitWindowsEx call instead.
        Set-RegistryValue $explorer 'NoLogoff' 1
        Set-RegistryValue $explorer 'StartMenuLogOff' 1
        Write-Host 'Task Manager, Lock, Change password, Shut down and Sign out removed for the kiosk user.'
    } finally {
        if ($loadedHere) {
            [GC]::Collect()
            [GC]::WaitForPendingFinalizers()
            Start-Sleep -Seconds 1
            & reg.exe unload 'HKU\ClinicKioskSetup' | Out-Null
            if ($LASTEXITCODE -ne 0) { Write-Warning 'Could not unload HKU\ClinicKioskSetup; restart Windows before the kiosk user signs in.' }
        }
    }
}

# "Switch user" leaves a sign-in screen in front of patients.
Set-RegistryValue 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' 'HideFastUserSwitching' 1
Write-Host 'Switch user hidden.'

# ---------------------------------------------------------------------------
# 3. Edge swipes, sleep and the power button                     [all editions]
# ---------------------------------------------------------------------------
Write-Step 'Edge swipes, sleep, power button'

# Group Policy "Allow edge swipe" = Disabled (Windows Components > Edge UI).
# Takes effect after a restart.
Set-RegistryValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\EdgeUI' 'AllowEdgeSwipe' 0
Write-Host 'Edge swipes off (after a restart).'

$powerCommands = @(
    @('/change', 'monitor-timeout-ac', '0'), @('/change', 'monitor-timeout-dc', '0'),
    @('/change', 'standby-timeout-ac', '0'), @('/change', 'standby-timeout-dc', '0'),
    @('/change', 'hibernate-timeout-ac', '0'), @('/change', 'hibernate-timeout-dc', '0'),
    # 0 = do nothing: power button, sleep button, lid.
    @('/setacvalueindex', 'SCHEME_CURRENT', 'SUB_BUTTONS', 'PBUTTONACTION', '0'),
    @('/setdcvalueindex', 'SCHEME_CURRENT', 'SUB_BUTTONS', 'PBUTTONACTION', '0'),
    @('/setacvalueindex', 'SCHEME_CURRENT', 'SUB_BUTTONS', 'SBUTTONACTION', '0'),
    @('/setdcvalueindex', 'SCHEME_CURRENT', 'SUB_BUTTONS', 'SBUTTONACTION', '0'),
    @('/setacvalueindex', 'SCHEME_CURRENT', 'SUB_BUTTONS', 'LIDACTION', '0'),
    @('/setdcvalueindex', 'SCHEME_CURRENT', 'SUB_BUTTONS', 'LIDACTION', '0'),
    @('/setactive', 'SCHEME_CURRENT')
)
foreach ($arguments in $powerCommands) {
    & powercfg.exe @arguments | Out-Null
    if ($LASTEXITCODE -ne 0) { Write-Warning "powercfg $($arguments -join ' ') failed (exit $LASTEXITCODE)." }
}
Write-Host 'Screen never blanks, machine never sleeps, power button does nothing (test it: some tablets decide in firmware).'

# ---------------------------------------------------------------------------
# 4. Automatic sign-in                                           [all editions]
# ---------------------------------------------------------------------------
Write-Step 'Automatic sign-in'

$autologonExe = @('Autologon64.exe', 'Autologon.exe') |
    ForEach-Object { Join-Path $PSScriptRoot $_ } |
    Where-Object { Test-Path -LiteralPath $_ } |
    Select-Object -First 1

if ($autologonExe) {
    # Sysinternals Autologon keeps the password as an encrypted LSA secret,
    # readable only by SYSTEM. Usage: Autologon <user> <domain> <password>.
    # The first run shows its licence dialog.
    & $autologonExe $KioskUser $env:COMPUTERNAME $plainPassword
    Write-Host "Automatic sign-in set with $(Split-Path -Leaf $autologonExe)."
} elseif ($UseRegistryAutoLogon) {
    Write-Warning ('-UseRegistryAutoLogon: the kiosk password is now stored in PLAIN TEXT in ' +
        "$WinlogonKey\DefaultPassword, readable by every user of this PC (the kiosk user too). " +
        'Prefer Sysinternals Autologon: put Autologon64.exe next to this script and run it again.')
    Set-RegistryValue $WinlogonKey 'AutoAdminLogon' '1' 'String'
    Set-RegistryValue $WinlogonKey 'DefaultUserName' $KioskUser 'String'
    Set-RegistryValue $WinlogonKey 'DefaultDomainName' $env:COMPUTERNAME 'String'
    Set-RegistryValue $WinlogonKey 'DefaultPassword' $plainPassword 'String'
    Remove-ItemProperty -LiteralPath $WinlogonKey -Name 'AutoLogonCount' -ErrorAction SilentlyContinue
} else {
    Write-Warning ('Automatic sign-in NOT set. Either put Sysinternals Autologon (Autologon64.exe) next to ' +
        'this script and run it again (recommended), or run Autologon by hand for ' +
        "user '$KioskUser', domain '$env:COMPUTERNAME', or run this script with -UseRegistryAutoLogon (plain-text password).")
}
# Sign "kiosk" in automatically when Windows starts, but NOT after a sign-out:
# "Leave kiosk mode" signs out, and the sign-in screen must then stay.
# (Earlier versions of this script set ForceAutoLogon = 1.)
Remove-ItemProperty -LiteralPath $WinlogonKey -Name 'ForceAutoLogon' -ErrorAction SilentlyContinue
$plainPassword = $null

# ---------------------------------------------------------------------------
# 5. The kiosk as the user's shell
# ---------------------------------------------------------------------------
if ($Mode -eq 'ShellLauncher') {
    # [Enterprise, Education, IoT Enterprise ONLY]
    Write-Step 'Shell Launcher (WMI: WESL_UserSetting)'
    if (-not (Enable-OptionalFeature 'Client-EmbeddedShellLauncher')) {
        throw 'Shell Launcher is not available on this edition of Windows. Run again with -Mode ScheduledTask.'
    }
    if ($null -eq (Get-CimClass -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -ErrorAction SilentlyContinue)) {
        $script:RestartNeeded = $true
        Write-Warning 'Shell Launcher was just turned on and is not ready yet: restart Windows and run this script again.'
    } else {
        function Invoke-ShellLauncher([string] $Method, [hashtable] $Arguments) {
            $result = Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName $Method -Arguments $Arguments
            if ($result.ReturnValue -ne 0) { throw ('WESL_UserSetting.{0} failed: 0x{1:X8}' -f $Method, $result.ReturnValue) }
        }
        # Replace any earlier setting for these SIDs.
        foreach ($sid in $KioskSid, $SidAdministrators) {
            Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WESL_UserSetting -MethodName RemoveCustomShell `
                -Arguments @{ Sid = $sid } -ErrorAction SilentlyContinue | Out-Null
        }
        # Actions: 0 restart the shell, 1 restart the device, 2 shut down, 3 do nothing.
        # Exit status 75 is "Leave kiosk mode": kiosk-launch.pyw has signed the
        # kiosk user out, so do nothing. kiosk.exe (-UseKioskExe) does not sign
        # out: there 75 restarts the kiosk like any other exit.
        if ($UseKioskExe) {
            Invoke-ShellLauncher 'SetCustomShell' @{ Sid = $KioskSid; Shell = $KioskCommand; DefaultAction = [int] 0 }
        } else {
            Invoke-ShellLauncher 'SetCustomShell' @{ Sid = $KioskSid; Shell = $KioskCommand;
                CustomReturnCodes = [int[]] @(75); CustomReturnCodesAction = [int[]] @(3); DefaultAction = [int] 0 }
        }
        Invoke-ShellLauncher 'SetCustomShell' @{ Sid = $SidAdministrators; Shell = 'explorer.exe'; DefaultAction = [int] 0 }
        Invoke-ShellLauncher 'SetDefaultShell' @{ Shell = 'explorer.exe'; DefaultAction = [int] 0 }
        Invoke-ShellLauncher 'SetEnabled' @{ Enabled = $true }
        Write-Host "Shell for '$KioskUser': the kiosk, restarted whenever it exits except after 'Leave kiosk mode'. Administrators and others: explorer.exe."
        if (Get-ScheduledTask -TaskName $TaskName -ErrorAction SilentlyContinue) {
            Unregister-ScheduledTask -TaskName $TaskName -Confirm:$false
            Write-Host "Removed the scheduled task '$TaskName' (Shell Launcher starts the kiosk now)."
        }
    }
} elseif ($Mode -eq 'ShellLauncherV2') {
    # [Enterprise, Education, IoT Enterprise ONLY; run as SYSTEM]
    Write-Step 'Shell Launcher v2 (MDM Bridge: AssignedAccess CSP)'
    if (-not (Enable-OptionalFeature 'Client-EmbeddedShellLauncher')) {
        throw 'Shell Launcher is not available on this edition of Windows. Run again with -Mode ScheduledTask.'
    }
    $profileId = '{6D1E2A8C-4B1F-4E7A-9C3D-5F0B8A2E7C41}'
    $shellXml = [Security.SecurityElement]::Escape($KioskCommand)
    $accountXml = [Security.SecurityElement]::Escape($KioskUser)
    # 75 is "Leave kiosk mode" (kiosk-launch.pyw has signed out): do nothing.
    $returnCodeActions = '<ReturnCodeActions><ReturnCodeAction ReturnCode="75" Action="DoNothing"/></ReturnCodeActions>'
    if ($UseKioskExe) { $returnCodeActions = '' }
    $configuration = @"
<?xml version="1.0" encoding="utf-8"?>
<ShellLauncherConfiguration xmlns="http://schemas.microsoft.com/ShellLauncher/2018/Configuration" xmlns:V2="http://schemas.microsoft.com/ShellLauncher/2019/Configuration">
  <Profiles>
    <DefaultProfile>
      <Shell Shell="%SystemRoot%\explorer.exe"/>
    </DefaultProfile>
    <Profile Id="$profileId">
      <Shell Shell="$shellXml" V2:AppType="Desktop" V2:AllAppsFullScreen="true">
        $returnCodeActions
        <DefaultAction Action="RestartShell"/>
      </Shell>
    </Profile>
  </Profiles>
  <Configs>
    <Config>
      <Account Name="$accountXml"/>
      <Profile Id="$profileId"/>
    </Config>
  </Configs>
</ShellLauncherConfiguration>
"@
    $assignedAccess = Get-CimInstance -Namespace 'root\cimv2\mdm\dmmap' -ClassName 'MDM_AssignedAccess' -ErrorAction SilentlyContinue
    if ($null -eq $assignedAccess) { throw 'The MDM Bridge class MDM_AssignedAccess is not available here. Use -Mode ShellLauncher.' }
    $assignedAccess.ShellLauncher = [System.Net.WebUtility]::HtmlEncode($configuration)
    Set-CimInstance -CimInstance $assignedAccess
    Write-Host "Shell Launcher v2: '$KioskUser' gets the kiosk; everybody else explorer.exe."
} else {
    # [Pro fallback; works on every edition]
    Write-Step "Scheduled task '$TaskName' (no Shell Launcher on this edition)"
    $account = "$env:COMPUTERNAME\$KioskUser"
    $action = New-ScheduledTaskAction -Execute $pythonw -Argument $KeepAliveArguments -WorkingDirectory $InstallDir
    $trigger = New-ScheduledTaskTrigger -AtLogOn -User $account
    $principal = New-ScheduledTaskPrincipal -UserId $account -LogonType Interactive -RunLevel Limited
    # No time limit (the default stops a task after 3 days); Task Scheduler's
    # own restart covers the keep-alive loop itself dying.
    $settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) `
        -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) `
        -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -MultipleInstances IgnoreNew
    Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Principal $principal `
        -Settings $settings -Description 'Starts the waiting-room kiosk at logon and restarts it 2 s after it exits, until staff leave kiosk mode.' -Force | Out-Null
    Write-Host "At each logon of '$KioskUser' the kiosk starts; it restarts 2 s after it exits, until 'Leave kiosk mode' signs '$KioskUser' out."
    Write-Warning ('Without Shell Launcher the normal desktop (Start, taskbar) runs behind the kiosk. ' +
        'See docs/deploy.md, "Windows Pro", for what this leaves open.')
}

# ---------------------------------------------------------------------------
# 6. Keyboard Filter           [Enterprise, Education, IoT Enterprise ONLY]
# ---------------------------------------------------------------------------
if ($EnableKeyboardFilter) {
    Write-Step 'Keyboard Filter'
    $feature = Get-OptionalFeatureOrNull 'Client-KeyboardFilter'
    if ($null -eq $feature) {
        Write-Warning 'Keyboard Filter is not available on this edition (Enterprise, Education or IoT Enterprise only).'
    } elseif ($feature.State -ne 'Enabled') {
        Enable-OptionalFeature 'Client-KeyboardFilter' | Out-Null
        $script:RestartNeeded = $true
        Write-Warning 'Keyboard Filter turned on. Restart Windows, then run this script again with -EnableKeyboardFilter to block the keys.'
    } else {
        # Administrators are not filtered (Keyboard Filter's default), so an
        # administrator can still use Ctrl+Alt+Del to service the machine.
        $blocked = 'Ctrl+Alt+Del', 'Shift+Ctrl+Esc', 'Ctrl+Esc', 'Alt+Tab', 'Alt+F4', 'Alt+Space',
            'Windows', 'Win+L', 'Win+U', 'LShift+LAlt+PrintScrn', 'LShift+LAlt+NumLock'
        foreach ($id in $blocked) {
            $result = Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WEKF_PredefinedKey -MethodName Enable -Arguments @{ PredefinedKey = $id }
            if ($result.ReturnValue -ne 0) { Write-Warning ('Could not block {0}: 0x{1:X8}' -f $id, $result.ReturnValue) }
        }
        # Not predefined: Alt+Esc (cycle windows) and Print Screen (opens the
        # Snipping Tool on Windows 11, whose Save dialog browses the disk).
        # Add fails harmlessly when the key is already there.
        $custom = 'Alt+Esc', 'PrintScreen'
        foreach ($key in $custom) {
            Invoke-CimMethod -Namespace $EmbeddedNamespace -ClassName WEKF_CustomKey -MethodName Add `
                -Arguments @{ CustomKey = $key } -ErrorAction SilentlyContinue | Out-Null
        }
        # Sticky Keys and other Ease of Access features can get around the filter.
        $setting = Get-CimInstance -Namespace $EmbeddedNamespace -ClassName WEKF_Settings -Filter "Name='ForceOffAccessibility'"
        if ($setting) {
            $setting.Value = 'true'
            Set-CimInstance -CimInstance $setting
        }
        Write-Host ('Blocked for non-administrators: {0}; Ease of Access forced off.' -f (($blocked + $custom) -join ', '))
    }
}

# ---------------------------------------------------------------------------
Write-Step 'Done'
if ($script:RestartNeeded) {
    Write-Warning 'A Windows feature was turned on: restart Windows, then run this script again.'
} else {
    Write-Host 'Restart Windows: it should sign in as the kiosk user and show the kiosk.'
    Write-Host 'Then go through the checklist in docs/deploy.md.'
}
