import { Link } from 'react-router-dom';
import { Menu } from './Menu';

/** "+ New": each kind of thing a person can create. Later issues add models, Spaces and notebooks here. */
export function NewMenu() {
  return (
    <Menu label="Create new" button={<span className="button button-secondary button-small">+ New</span>}>
      <Link role="menuitem" to="/notebooks/new">
        Notebook
      </Link>
      <Link role="menuitem" to="/new?type=model">
        Model
      </Link>
      <Link role="menuitem" to="/spaces/new">
        Space
      </Link>
      <Link role="menuitem" to="/organizations/new">
        Organization
      </Link>
    </Menu>
  );
}
