// A labelled progress bar: a native <progress> gives assistive tech the role and value.

interface Props {
  label: string;
  value: number;
  max: number;
  tone?: 'normal' | 'done' | 'error';
}

export function ProgressBar({ label, value, max, tone = 'normal' }: Props) {
  const safeMax = max > 0 ? max : 1;
  return (
    <progress
      className={`bar bar-${tone}`}
      aria-label={label}
      value={Math.min(value, safeMax)}
      max={safeMax}
    />
  );
}
